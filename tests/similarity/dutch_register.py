# ruff: noqa: E501 (a data table: one record a line)
"""A small Dutch municipal register for tests: five cities running the same scan-car
parking enforcement, each worded its own way, among unrelated Dutch records.

Written for these tests (not copied from any register). Every record ends with the
national template sentence every city copies, as registers do.
"""

SCAN_CARS = {
    "Utrecht": (
        "Scanauto voor parkeercontrole",
        "Een auto met camera's rijdt door de stad en leest kentekens van geparkeerde "
        "voertuigen. Het systeem vergelijkt het kenteken met de parkeerrechten en meldt "
        "een mogelijke overtreding aan een handhaver, die ter plaatse controleert.",
    ),
    "Groningen": (
        "Digitale handhaving betaald parkeren met scanvoertuig",
        "Wij zetten een scanvoertuig in dat kentekens registreert in gebieden met betaald "
        "parkeren. Wanneer voor een kenteken geen parkeerrecht is gevonden, beoordeelt "
        "een parkeercontroleur de situatie voordat een naheffingsaanslag volgt.",
    ),
    "Eindhoven": (
        "Kentekenherkenning bij parkeerhandhaving",
        "De gemeente gebruikt scanauto's die met kentekenherkenning de geparkeerde auto's "
        "scannen. De gescande kentekens worden gecontroleerd op een geldig parkeerrecht; "
        "bij twijfel beslist een handhaver of er een naheffing wordt opgelegd.",
    ),
    "Tilburg": (
        "Parkeercontrole met scanauto en kentekenregistratie",
        "Parkeercontrole gebeurt met een scanauto die kentekens fotografeert. Het "
        "kenteken wordt automatisch vergeleken met betaalde parkeersessies en "
        "vergunningen; een medewerker handhaving stelt vast of er is betaald.",
    ),
    "Zwolle": (
        "Handhaving parkeren met scanwagen",
        "Een scanwagen rijdt door de binnenstad en scant de kentekens van geparkeerde "
        "auto's. Wie geen parkeerrecht heeft, krijgt na controle door een handhaver een "
        "naheffingsaanslag parkeerbelasting.",
    ),
}

UNRELATED = [
    (
        "Chatbot voor vragen over afval",
        "Inwoners stellen via de website vragen over het ophalen van afval, de afvalkalender en grofvuil; een chatbot geeft antwoord en verwijst door naar een medewerker.",
    ),
    (
        "Voorspellen van onderhoud aan bruggen",
        "Sensoren op beweegbare bruggen meten trillingen en temperatuur; een model voorspelt wanneer onderhoud nodig is zodat storingen worden voorkomen.",
    ),
    (
        "Fraudesignalering bijstandsuitkeringen",
        "Een risicomodel rangschikt aanvragen voor een bijstandsuitkering op kenmerken die samenhangen met onrechtmatig ontvangen uitkeringen; een consulent beoordeelt elk signaal.",
    ),
    (
        "Vertalen van brieven aan inwoners",
        "Brieven van de gemeente worden automatisch vertaald naar het Engels, Pools en Arabisch zodat nieuwkomers ze begrijpen; een vertaler controleert de tekst.",
    ),
    (
        "Herkennen van zwerfafval op camerabeelden",
        "Camera's op vuilniswagens maken beelden van straten; beeldherkenning telt zwerfvuil en bijplaatsingen bij containers om de schoonmaakroutes te plannen.",
    ),
    (
        "Samenvatten van raadsstukken",
        "Een taalmodel maakt samenvattingen van raadsvoorstellen en commissieverslagen voor raadsleden, die de volledige stukken kunnen blijven lezen.",
    ),
    (
        "Inschatten van woningwaarde voor de WOZ",
        "Een rekenmodel bepaalt de WOZ-waarde van woningen uit verkoopprijzen van vergelijkbare woningen in de buurt; een taxateur controleert afwijkingen.",
    ),
    (
        "Routeplanning voor de gladheidsbestrijding",
        "Op basis van weersverwachting en wegtemperatuur berekent het systeem welke strooiroutes eerst worden gereden wanneer het glad wordt.",
    ),
    (
        "Classificeren van meldingen openbare ruimte",
        "Meldingen over losliggende tegels, kapotte lantaarnpalen en overhangend groen worden automatisch ingedeeld en doorgestuurd naar het juiste team.",
    ),
    (
        "Anonimiseren van documenten voor Woo-verzoeken",
        "Bij verzoeken op grond van de Wet open overheid zoekt software persoonsgegevens in documenten en stelt voor welke passages worden gelakt.",
    ),
    (
        "Voorspellen van schooluitval",
        "Gegevens over verzuim en schoolresultaten worden gebruikt om jongeren te vinden die dreigen uit te vallen, zodat een leerplichtambtenaar contact kan opnemen.",
    ),
    (
        "Energielabels van gemeentelijk vastgoed",
        "Een model schat het energieverbruik van gemeentelijke gebouwen en adviseert welke panden als eerste verduurzaamd worden.",
    ),
    (
        "Spraakherkenning bij het klantcontactcentrum",
        "Telefoongesprekken met het klantcontactcentrum worden omgezet in tekst zodat medewerkers het gesprek sneller kunnen vastleggen in het zaaksysteem.",
    ),
    (
        "Bomen monitoren met satellietbeelden",
        "Satellietbeelden tonen de gezondheid van het bomenbestand; zieke of droge bomen worden gemarkeerd voor inspectie door de boomverzorger.",
    ),
    (
        "Toewijzen van sociale huurwoningen",
        "Een rekenregel bepaalt de volgorde van woningzoekenden op basis van inschrijfduur en urgentie; de woningcorporatie maakt de aanbieding.",
    ),
    (
        "Detectie van illegale vakantieverhuur",
        "Advertenties op verhuurplatforms worden vergeleken met registraties van vakantieverhuur om adressen te vinden die zonder melding worden verhuurd.",
    ),
    (
        "Drukte meten in het centrum",
        "Tellingen van wifi-signalen en camera's geven een beeld van de drukte op pleinen, zodat evenementen en crowd management beter worden gepland.",
    ),
    (
        "Subsidieaanvragen controleren op volledigheid",
        "Binnenkomende aanvragen voor subsidies worden gecontroleerd op ontbrekende bijlagen en gegevens voordat een behandelaar ze beoordeelt.",
    ),
    (
        "Geluidsoverlast herkennen bij horeca",
        "Geluidssensoren in uitgaansgebieden herkennen pieken in geluid en sturen een signaal naar toezichthouders van de gemeente.",
    ),
    (
        "Begroting voorspellen met tijdreeksen",
        "Uitgaven aan jeugdzorg en Wmo worden met een tijdreeksmodel vooruit berekend om de begroting en de tussentijdse rapportages te onderbouwen.",
    ),
    (
        "Rioolbeheer met sensoren",
        "Sensoren in het riool meten waterstanden; bij hevige regen voorspelt een model overstortingen en stuurt pompen aan.",
    ),
    (
        "Toegankelijkheid van de website testen",
        "Software controleert pagina's van de gemeentelijke website op toegankelijkheid, zoals alternatieve teksten bij afbeeldingen en contrast.",
    ),
    (
        "Vergunningaanvragen bouw toetsen",
        "Bouwtekeningen bij een omgevingsvergunning worden automatisch getoetst aan het bestemmingsplan; een vergunningverlener neemt het besluit.",
    ),
    (
        "Fietsenstallingen bezetting",
        "Detectielussen tellen vrije plekken in fietsenstallingen bij het station en tonen de bezetting op borden en in een app.",
    ),
    (
        "Zoeken in het archief",
        "Medewerkers zoeken met een zoekmachine die begrijpt wat bedoeld wordt in het digitale archief van besluiten en correspondentie.",
    ),
]

# The national template every municipality copies into every record (cross-city).
TEMPLATE = "Dit algoritme is gepubliceerd volgens de handreiking van de VNG en valt onder de AVG."
