"""news-digest: a folder of news articles in, a searchable digest site out."""

__version__ = "0.1.0"
