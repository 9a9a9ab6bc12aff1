"""classify: the shipped English vocabulary on short English news, a rule and a near miss each.

Every article here is written for this test. Each new English term in content/themes.yml has a
story it should find and one close to it that it should leave alone.
"""

from __future__ import annotations

import pytest

from generator.classify import ThemeClassifier


@pytest.fixture(scope="module")
def classifier(shipped_themes) -> ThemeClassifier:
    return ThemeClassifier(shipped_themes)


def themes_of(classifier, analyzed, title: str, text: str) -> list[str]:
    article = analyzed(text, title=title, language="en")
    return [m.slug for m in classifier.classify(article)]


CASES = [
    # expulsions: sent home, ordered out
    ("Norway sends home two Russian diplomats",
     "Norway has sent home two Russian diplomats it accused of spying on an arms factory. "
     "The foreign ministry said both had been ordered out of the country. Moscow promised to "
     "respond.", ["expulsions"]),
    ("Ambassador returns home for talks",
     "The ambassador flew home on Monday for consultations with the foreign minister. "
     "She will go back to her post next month. Officials called the visit routine.", []),
    # expulsions: depart or quit beside leave
    ("Diplomats given three days to depart",
     "Latvia told two Belarusian diplomats to depart within three days on Friday. "
     "The ministry said their activities were incompatible with their status. "
     "Minsk called the decision unfriendly.", ["expulsions"]),
    ("Embassy orders non-essential staff to depart",
     "The embassy ordered non-essential staff and their families to depart as fighting "
     "spread through the capital. Flights were arranged for the weekend. The ambassador "
     "will stay.", []),
    # expulsions: a consulate closed on the host state's order
    ("Government orders closure of consulate",
     "The government ordered the neighbouring country to close its consulate in the port "
     "city within a week, accusing its officials of espionage. The consulate staff must leave "
     "by Friday. The neighbour promised to retaliate.", ["expulsions"]),
    ("Embassy closes for two days after threat",
     "The embassy closed to the public for two days after a security threat, a spokesman said. "
     "Visa appointments were moved to next week. The building reopens on Thursday.", []),
    # expulsions: attache, personae non gratae
    ("Military attache expelled over spying",
     "The country expelled the defence attache on Tuesday, giving him a week to leave. "
     "Officials said he ran agents in the navy. His government denied it.", ["expulsions"]),
    ("Three officials declared personae non gratae",
     "Three officials at the embassy were declared personae non gratae after an investigation "
     "into a hacking campaign. They have until Sunday to go. The embassy called it a "
     "provocation.", ["expulsions"]),
    ("Town declares rapper persona non grata",
     "The town council declared a rapper persona non grata after a fight broke out at his "
     "concert. Eight people were hurt. His manager said he regretted the violence.", []),
    # troop-build-up: tanks and armour moving towards a border
    ("Tank columns head towards the frontier",
     "Long columns of tanks were seen heading towards the frontier on Wednesday, satellite "
     "images show. Analysts counted more than 200 armoured vehicles. The defence ministry "
     "called it an exercise.", ["troop-build-up"]),
    ("Tanks roll through the capital in victory parade",
     "Columns of tanks rolled through the capital in the annual victory parade on Tuesday. "
     "Veterans watched from the stands. The president gave a speech.", []),
    # troop-build-up: missiles and air defence deployed
    ("Missiles deployed near the coast",
     "The army has deployed anti-ship missiles near the coast facing the disputed islands, "
     "officials said. Air defence systems were also moved to the region. Neighbours protested.",
     ["troop-build-up"]),
    ("Missiles strike power plant",
     "Missiles struck a power plant in the east of the country overnight, cutting electricity "
     "to thousands of homes. Repair crews were at work by morning. Two workers were injured.",
     []),
    # troop-build-up: NATO air policing is no domestic police deployment
    ("Fighter jets to reinforce NATO air policing",
     "Britain will send four fighter jets to reinforce NATO air policing over the Black Sea, "
     "the ministry said. Romania welcomed the decision. The pilots arrive next week.",
     ["troop-build-up"]),
    ("Riot police sent to town after unrest",
     "Hundreds of riot police were sent to the town after a second night of unrest, the "
     "minister said. Cars were burned and shops looted. Police reinforcements will stay all "
     "week.", []),
    # troop-build-up: forces, not force as a verb
    ("Armed forces massed near the frontier",
     "The armed forces have massed near the frontier with tens of thousands of soldiers, the "
     "neighbour said. Field hospitals were set up close to the line. Diplomats urged calm.",
     ["troop-build-up"]),
    ("Court forces company to rehire staff",
     "A court forced the company to rehire staff it had sacked at a border warehouse. The "
     "judge said the dismissals were unfair. The company will pay compensation.", []),
    # troop-build-up: bringing troops home is no build-up
    ("Calls to bring troops home from the border",
     "A party called on the government to bring the troops home from the border mission. "
     "The minister said the soldiers deployed there would stay. The motion was defeated.", []),
    # sanctions: a ban on supplies to a state
    ("Fuel supplies to Myanmar banned",
     "The government banned the supply of aviation fuel to Myanmar on Monday, joining its allies. "
     "Firms that break the ban face heavy fines. The junta did not comment.", ["sanctions"]),
    # sanctions: visa bans and restrictions
    ("Visa ban on officials over crackdown",
     "The government imposed a visa ban on twelve officials over the crackdown on protesters. "
     "Their property in the country will be frozen. The targeted government called it "
     "interference.", ["sanctions"]),
    ("Visa-free stays extended for tourists",
     "Tourists from ninety countries can now stay sixty days without a visa, the government "
     "said. Hotels welcomed the change. Arrivals are expected to rise.", []),
    # sanctions: restrictive measures, frozen funds
    ("Bloc adopts restrictive measures against regime",
     "The bloc adopted restrictive measures against the regime's leaders on Monday, and froze "
     "the funds of six ministers. The measures will be reviewed in a year.", ["sanctions"]),
    # sanctions: a price cap on oil, not on household energy
    ("Price cap on crude oil agreed",
     "Western governments agreed a price cap of 60 dollars a barrel on the country's crude oil. "
     "Shippers that carry oil sold above the cap lose access to insurance. Moscow rejected "
     "it.", ["sanctions"]),
    ("Energy price cap to rise in April",
     "The energy price cap on household bills will rise in April, the regulator said. A typical "
     "household will pay more for gas and electricity. Charities warned of hardship.", []),
    # sanctions: export curbs against a state, not against domestic prices
    ("Export curbs on chip tools aimed at China",
     "The government tightened export curbs on chipmaking tools aimed at China on Tuesday. "
     "Firms will need a licence to ship the machines. Beijing vowed to retaliate.",
     ["sanctions"]),
    ("India bans rice exports to curb prices",
     "India banned exports of white rice to curb rising prices at home. Traders said world "
     "prices would climb. Shipments already loaded may leave.", []),
    # sanctions: a transfer embargo is a football penalty
    ("Club hit with transfer embargo",
     "The club was hit with a transfer embargo and a fine for breaking rules on signing minors. "
     "The sanctions begin immediately. The club will appeal.", []),
]


@pytest.mark.parametrize(("title", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shipped_english_vocabulary(classifier, analyzed, title, text, expected):
    assert themes_of(classifier, analyzed, title, text) == expected
