"""Invented news texts used across the tests (written for babelwire; every event is fictional).

Each language has one short report. ``WIRE`` and ``WIRE_COPY`` are the same wire story as two
outlets might run it: the copy has a new first line and a few small edits.
"""

from __future__ import annotations

SV_TITLE = "Färja fast i packisen utanför Holmsund"
SV_TEXT = """Färjan Bottenvik fastnade i packis utanför Holmsund på onsdagskvällen. Ombord fanns 212 \
passagerare och 38 besättningsmän, enligt rederiet Kvarkenlinjen.

Sjöfartsverket skickade isbrytaren Frej till platsen, och vid midnatt hade färjan börjat röra sig \
igen. Ingen skadades, men resenärerna fick vänta i nästan sex timmar.

– Vi har aldrig sett isen packas så snabbt så här tidigt på säsongen, säger hamnkaptenen Linnea \
Sjöberg till tidningen Kustbladet.

Rederiet meddelade att torsdagens avgångar ställs in. Bl.a. påverkas godstrafiken till Vasa, och \
t.ex. lastbilar med färsk fisk måste ta vägen runt Bottenviken."""

DA_TITLE = "Havnebadet ved Islands Brygge lukket igen"
DA_TEXT = """Københavns Kommune lukkede torsdag havnebadet ved Islands Brygge, efter at der blev fundet \
for mange bakterier i vandet. Det er tredje gang i denne sommer, at badet må lukke.

Ifølge kommunens miljøforvaltning skyldes forureningen de kraftige regnskyl i løbet af natten, som \
fik kloakkerne til at løbe over. Badegæsterne blev bedt om at forlade vandet med det samme.

"Vi tager ingen chancer med folks sundhed," siger afdelingschef Mette Kjærgaard. Hun forventer, at \
badet kan åbne igen i løbet af weekenden, hvis prøverne viser rent vand."""

NO_TITLE = "Jordskred stengte fylkesveien ved Brekke"
NO_TEXT = """Et jordskred stengte fylkesvei 13 ved Brekke i Vestland natt til fredag. Ingen personer ble \
skadet, men fire bolighus ble evakuert av hensyn til sikkerheten.

Statens vegvesen opplyser at veien blir stengt i minst en uke mens geologene undersøker \
fjellsiden. Trafikken blir omdirigert via ferjesambandet over fjorden.

– Vi må være helt sikre på at det ikke kommer flere skred før vi åpner veien igjen, sier \
vaktleder Kjetil Haugland til lokalavisen. Kommunen har satt opp et mottakssenter på skolen for \
de evakuerte."""

DE_TITLE = "Stromausfall legt Straßenbahnen in Kassel lahm"
DE_TEXT = """Die Verkehrsbetriebe in Kassel haben am Montag den Straßenbahnverkehr für mehrere Stunden \
eingestellt. Grund war ein Stromausfall im Stellwerk am Hauptbahnhof.

Nach Angaben von Dr. Petra Lindner, der Sprecherin des Unternehmens, waren rund 40.000 Fahrgäste \
betroffen. Die Störung soll bis zum 3. Oktober vollständig behoben sein.

„Wir bitten alle Fahrgäste um Geduld", sagte Lindner. Busse fuhren als Ersatz u.a. zwischen dem \
Rathaus und der Universität."""

FR_TITLE = "Un incendie ravage l'entrepôt d'une coopérative près de Cahors"
FR_TEXT = """Un incendie a détruit dans la nuit de mardi à mercredi l'entrepôt d'une coopérative \
viticole près de Cahors. Aucun blessé n'est à déplorer, selon les pompiers du Lot.

M. Girard, le président de la coopérative, estime les pertes à près de 300 000 bouteilles. « C'est \
le travail de trois récoltes qui est parti en fumée », a-t-il déclaré à la presse locale.

Une enquête a été ouverte pour déterminer l'origine du sinistre. Les gendarmes n'excluent aucune \
piste."""

ES_TITLE = "Teruel cierra el puente de hierro por grietas en un pilar"
ES_TEXT = """El ayuntamiento de Teruel ha cerrado de forma preventiva el puente de hierro sobre el río \
Turia tras detectar grietas en uno de sus pilares. La medida afecta a unos 6.000 vehículos diarios.

Según el concejal de Infraestructuras, Sr. Daniel Ortega Peñalver, los técnicos revisarán la \
estructura durante al menos dos semanas. «No vamos a arriesgar la seguridad de nadie», afirmó en \
una rueda de prensa.

Los autobuses urbanos desviarán sus recorridos por la avenida de Sagunto mientras duren las obras."""

EN_TITLE = "Cargo ship runs aground near Savannah"
EN_TEXT = """A cargo ship ran aground near the port of Savannah on Tuesday, blocking the main \
shipping channel for several hours, the U.S. Coast Guard said.

Nobody was injured. The vessel, the Marigold Star, was carrying about 1,800 containers of \
furniture and electronics, according to its operator.

"The crew acted quickly and there is no sign of a fuel leak," said Lt. Andrea Wills, a Coast Guard \
spokeswoman. Tugboats refloated the ship at high tide on Tuesday evening."""

#: (language, title, text) for every invented report above.
REPORTS: list[tuple[str, str, str]] = [
    ("sv", SV_TITLE, SV_TEXT),
    ("da", DA_TITLE, DA_TEXT),
    ("no", NO_TITLE, NO_TEXT),
    ("de", DE_TITLE, DE_TEXT),
    ("fr", FR_TITLE, FR_TEXT),
    ("es", ES_TITLE, ES_TEXT),
    ("en", EN_TITLE, EN_TEXT),
]

WIRE = """Engineers in the port city of Valdora said on Thursday that the new tidal barrier had \
held back a storm surge of nearly three metres, the highest recorded in the bay since the barrier \
opened four years ago.

The barrier's twelve steel gates were closed at dawn after forecasters warned that strong \
westerly winds would push sea water into the estuary during the morning high tide. Water levels \
outside the gates peaked shortly after nine o'clock, while the old harbour behind them stayed dry.

"This is exactly the day the barrier was built for," said Tomas Arvelo, the chief engineer of the \
regional water board. He said the gates would reopen once the wind dropped, probably late on \
Friday, and that inspections had found no damage to the hinges or the concrete sills.

Shops along the waterfront, which flooded twice a year before the barrier was finished, opened \
as usual. The water board said the project had cost 410 million euros, most of it paid by the \
national government."""

WIRE_COPY = """Valdora barrier holds back record surge

Engineers in the port city of Valdora said on Thursday that the new tidal barrier had held back \
a storm surge of almost three metres, the highest recorded in the bay since the barrier opened \
four years ago.

The barrier's twelve steel gates were closed at dawn after forecasters warned that strong \
westerly winds would push sea water into the estuary during the morning high tide. Water levels \
outside the gates peaked shortly after nine o'clock, while the old harbour behind them stayed dry.

"This is exactly the day the barrier was built for," said Tomas Arvelo, chief engineer of the \
regional water board. He said the gates would reopen once the wind dropped, probably late on \
Friday, and that inspections had found no damage to the hinges or the concrete sills.

Shops along the waterfront, which flooded twice a year before the barrier was finished, opened \
as usual. The water board said the project had cost 410 million euros, most of it paid by the \
national government."""

#: A different report of a similar kind: must not be taken for a copy of ``WIRE``.
OTHER_WIRE = """Firefighters in the hill town of Castrena said on Thursday that a blaze in a \
timber yard had been brought under control after burning for most of the night.

About forty firefighters from three stations fought the fire, which started in a stack of dried \
planks shortly before midnight. Nobody was hurt, but smoke forced the closure of the main road \
to the valley until the early morning.

The owner of the yard, Ilse Marquand, said the business would reopen within a month. Police said \
they were treating the fire as an accident."""

# Two press releases of one (invented) police office about different break-ins: the office's
# template gives them the same names and numbers whatever the event.
PRESS_BURGLARY = (
    "Polizeipräsidium Nordhafen. Unbekannte sind in der Nacht zu Dienstag in ein Juweliergeschäft "
    "in der Hafenstraße in Kleinmoor eingebrochen. Die Täter erbeuteten Schmuck im Wert von 4000 Euro. "
    "Hinweise an die Kriminalpolizei Nordhafen unter 0471 95833. Rückfragen bitte an Pressestelle "
    "Polizeipräsidium Nordhafen, Telefon 0471 95810."
)
PRESS_ACCIDENT = (
    "Polizeipräsidium Nordhafen. Auf der Landstraße bei Ostermoor ist am Mittwoch ein Radfahrer "
    "von einem Lieferwagen erfasst worden. Der 62 Jahre alte Mann kam in eine Klinik in Nordhafen. "
    "Hinweise an die Kriminalpolizei Nordhafen unter 0471 95833. Rückfragen bitte an Pressestelle "
    "Polizeipräsidium Nordhafen, Telefon 0471 95810."
)
