"""Spanish: what the importer knows of the library's articles in Spanish
(the seed's format, with the headings, chrome and wording of Spanish health
writing, as MedlinePlus en español writes).

A table, nothing else: ``conditions.importer.vocabulary`` compiles it. Every
pattern is a plain alternation of words (linear to search). Organizations'
names and citations stay in their original language in a translation, so
the English patterns for those are used as well (``vocabulary``).
"""

HEADINGS = {
    "definición": "definition",
    "descripción general": "definition",
    "información general": "definition",
    "¿qué es?": "definition",
    "qué es": "definition",
    "causas": "causes",
    "causa": "causes",
    "factores de riesgo": "risk_factors",
    "factor de riesgo": "risk_factors",
    "síntomas": "symptoms",
    "signos y síntomas": "symptoms",
    "diagnóstico": "diagnosis",
    "pruebas y diagnóstico": "diagnosis",
    "exámenes y pruebas": "diagnosis",
    "tratamiento": "treatment",
    "tratamientos": "treatment",
    "opciones de tratamiento": "treatment",
    "medicamentos": "treatment",
    "prevención": "prevention",
    "complicaciones": "complications",
    "pronóstico": "outlook",
    "expectativas (pronóstico)": "outlook",
    "cuándo llamar al médico": "when_to_call",
    "cuándo contactar a un profesional médico": "when_to_call",
    "cuándo consultar al médico": "when_to_call",
    "recursos": "resources",
    "recursos en ee. uu.": "resources",
    "recursos en los estados unidos": "resources",
    "recursos en estados unidos": "resources",
    "recursos estadounidenses": "resources",
    "recursos canadienses": "canadian_resources",
    "recursos en canadá": "canadian_resources",
    "referencias": "references",
    "bibliografía": "references",
    "fuentes": "references",
    "cuándo buscar ayuda urgente": "urgent_help",
    "cuándo buscar atención de urgencia": "urgent_help",
    "cuándo llamar al 911": "urgent_help",
    "información de revisión": "end",
    "información sobre la revisión": "end",
}
HEADING_PREFIXES = {"vivir con": "living_with", "cómo vivir con": "living_with"}
STANDARD_HEADINGS = [
    "definición",
    "causas",
    "factores de riesgo",
    "síntomas",
    "diagnóstico",
    "tratamiento",
    "prevención",
    "recursos",
    "recursos canadienses",
    "referencias",
]
CHROME = (
    r"¿le gustó|¿te gustó|compártalo con su familia|compártelo con tu familia"
    r"|investigaciones actuales de las principales revistas|nuestro boletín gratuito"
)
CAPITALS = "A-ZÁÉÍÓÚÑÜ¿¡"
ABBREVIATIONS = (
    "p. ej",
    "ej",
    "etc",
    "dr",
    "dra",
    "sr",
    "sra",
    "srta",
    "ud",
    "uds",
    "núm",
    "n.º",
    "pág",
) + ("págs", "aprox", "inc", "ltd", "co", "vol", "al", "ee.uu", "ee. uu", "a.m", "p.m", "fig")
DEFINES = r"\b(es|son) (un|una|el|la|los|las)\b|\bse refiere a\b|\bse llama\b"
ALSO_CALLED = (
    r"\b(?:[Tt]ambién (?:se (?:llama|conoce como|denomina)|llamad[oa]s?|conocid[oa]s? como)"
    r"|[Ll]lamad[oa]s? también) "
)
OR = " o "
CANADIAN = r"\b[Cc]anad"
LOWER = "a-záéíóúñü"

KEYWORDS = {
    "causes": [
        r"\bcausad[oa]s? por\b|\bcausas? (?:es|son|de|incluyen)\b|\b(?:la|las) causas?\b",
        r"\bdesencaden",
        r"\bdebid[oa] a\b|\bse deben? a\b",
        r"\bresultado de\b|\bse produce\b|\bproducid[oa]s? por\b",
        r"\b(?:ocurre|sucede|aparece|se forma|se desarrolla|comienza) cuando\b",
        r"\bgen(?:es)?\b|\bgenétic|\bhereda",
        r"\binfecci(?:ón|ones)\b|\bvirus\b|\bbacteria",
        r"\bno se (?:sabe|conoce)\b|\bno (?:está|es) (?:del todo )?clar[oa]\b",
        r"\b(?:demasiad[oa]|acumulación|uso excesivo|sobrecarga|esfuerzo)\b",
        r"\b(?:presión sobre|daño (?:a|en|de)|desgarros?)\b",
        r"\bprovoca|\bcontribuy",
    ],
    "risk_factors": [
        r"\briesgos?\b",
        r"\bmás (?:común|comunes|frecuente|frecuentes|probable|probables)\b",
        r"\bfactor(?:es)?\b",
        r"\bantecedentes familiares\b",
        r"\bprobabilidad(?:es)? de\b",
        r"\b(?:mayores|edad|mujeres|hombres|sobrepeso|obesidad|fumar|tabaquismo)\b",
        r"\baumenta(?:n)? (?:su|el|la)\b",
    ],
    "symptoms": [
        r"\bsíntomas?\b",
        r"\bsignos?\b",
        r"\bpuede(?:n)? (?:tener|sentir|notar)\b|\bsient[eo]n?\b",
        r"\bdolor(?:es|osa|oso)?\b|\bduele\b|\bmolestias?\b",
        r"\bproblemas? (?:para|con)\b|\bdificultad",
        r"\b(?:hinchazón|hinchad|enrojecimiento|entumecimiento|hormigueo|picazón|picor"
        r"|sarpullido|erupción|fiebre|tos|sibilancias|cansancio|fatiga|rigidez|debilidad"
        r"|ardor|náuseas|vómito|mareo|ampollas?|moretones|temblor|sacudidas|espasmos|calambres)",
        r"\bempeora|\bpeor(?:es)?\b",
    ],
    "diagnosis": [
        r"\bdiagn[oó]stic",
        r"\b(?:médic[oa]|proveedor) (?:le )?(?:hará|preguntará|examinará|revisará|intentará)\b",
        r"\bexamen(?:es)?\b|\bexploración\b",
        r"\bpruebas?\b|\banálisis\b",
        r"\bantecedentes médicos\b|\bhistoria clínica\b|\bhistorial médico\b",
        r"\bimágenes\b|\bresonancia\b|\bradiografías?\b|\becografía\b|\btomografía\b",
        r"\bmid(?:an|e|en)\b|\bmedir\b|\bdescartar\b|\bconfirmar",
    ],
    "treatment": [
        r"\btrat(?:a|amiento)",
        r"\bmedicamentos?\b|\bmedicinas?\b|\bfármacos?\b",
        r"\bterapia\b",
        r"\bcirugía\b",
        r"\bcontrolar\b|\bmanej",
        r"\bdosis\b",
        r"\b(?:aliviar|alivio|opciones?|curar|cura|sanar|mejorar)\b",
    ],
    "prevention": [
        r"\bprevenir|\bprevención\b|\bprevien",
        r"\breducir (?:la|su) (?:probabilidad|riesgo)",
        r"\bevit",
        r"\b(?:disminuye|reduce|baja)n? (?:la|el|su) (?:probabilidad|riesgo)",
        r"\brecomienda|\bayudan? a (?:detener|mantener)\b",
        r"\bmedidas\b|\bpasos\b",
        r"\bvacunas?\b",
    ],
}

# Emergency blocks ("Busque atención médica de inmediato si …", "Llame al
# 911 o acuda a urgencias si …"): see the English table.
URGENT = {
    "services": (
        r"\b(?:911|112)\b|\b(?:sala|servicio|departamento|centro|unidad)(?:s|es)? de"
        r" (?:urgencias|emergencias?)\b|\burgencias\b|\bemergencias\b"
        r"|\bn[uú]mero (?:local )?de (?:emergencias?|urgencias)\b|\bambulancias?\b"
        r"|\b(?:atenci[oó]n|ayuda|asistencia) (?:m[eé]dica )?de (?:urgencia|emergencia)\b"
        r"|\bcontrol de (?:intoxicaciones|envenenamientos)\b"
    ),
    "help": (
        r"\b(?:atenci[oó]n|ayuda|asistencia|tratamiento|m[eé]dic[oa]s?|proveedor"
        r"|profesional de la salud|hospital)\b"
    ),
    "urgency": (
        r"\b(?:de inmediato|inmediatamente|enseguida|de urgencia|cuanto antes|sin demora"
        r"|ahora mismo|lo antes posible|urgentemente|de prisa)\b"
    ),
    "seek": (
        r"\b(?:llame|llamar|llama|marque|marcar|vaya|ir|acuda|acudir|busque|buscar|obtenga"
        r"|obtener|consiga|conseguir|pida|pedir|dir[ií]jase|contacte|contactar|comun[ií]quese"
        r"|consulte|consultar|solicite|solicitar|lleve|llevar|necesita|necesitan|necesitar"
        r"|necesitará|requiere|requieren)\b"
    ),
    "need": r"\b(?:necesita|necesitan|necesitar|necesitará|requiere|requieren)\b",
    "imperative": (
        r"^(?:por favor,? |y |o |pero |entonces |también |siempre )*(?:llame|marque|vaya"
        r"|acuda|busque|obtenga|consiga|pida|dir[ií]jase|contacte|comun[ií]quese|consulte"
        r"|solicite|lleve|haga que alguien|pida a alguien)\b"
    ),
    "addressed": r"\b(?:usted|ustedes|alguien|importante|debe|debería|deben|hay que)\b",
    "needed": r"\b(?:es|son|será|serán) (?:necesari[oa]s?|preciso)\b|\bse necesita\b",
    "condition": r"\b(?:si|cuando|en caso de|ante|siempre que)\b",
}

MEDICINES = {
    # Spanish forms of the INN stems: "-pam", "-ina", "-ato", "-ona", "-ol".
    "stems": (
        "pam|lam|zolam|azepam|olol|alol|pril|sartán|sartan|statina|mab|nib|cilina|micina"
        "|ciclina|floxacino|oxacino|azol|conazol|vir|ciclovir|triptán|tidina|prazol|profeno"
        "|parina|afilo|dipino|gliptina|gliflozina|glutida|lukast|sona|solona|olona|terol"
        "|tropio|azina|zepina|barbital|caína|coxib|setrón|pentina|gabalina|racetam|amato"
        "|idona|ridona|oxetina|alina|pramina|triptilina|azosina|osina|tiazida|semida"
        "|dronato|tinib|ximab|zumab|umab|proxeno|ofeno|pramida|onida|fenaco|oxicam|codona"
        "|morfona|adol|tadina|atadina|astina|pexol|tigotina|nidazol|mectina|tromicina"
        "|amicina|dazol|trexato|pirona|lamida|idina|ipina|purinol|ostat|tiroxina|formina"
        "|pirina|farina|dopa|xona|orfina|codeína|izina|amina|edrina|limus"
    ),
    "first_letter": "A-Za-zÁÉÍÓÚáéíóú",
    "letters": r"a-záéíóúñü\-",
    "chemical": (
        r"hidroxi|metil|etil|clor|fluor|sulfa|sulf(?:ato|uro)|\bsodio\b|\bsódic[oa]\b"
        r"|\bpotasio\b|\bmagnesio\b|\bzinc\b|\bácido\b|\bamina\b"
    ),
    "classes": (
        r"\b(?:medicamentos?|medicinas?|fármacos?|recetas?|pastillas?|píldoras?|tabletas?"
        r"|cápsulas?|antibióticos?|antivirales?|antimicóticos?|antifúngicos?"
        r"|antihistamínicos?|antiácidos?|anti[a-záéíóúñ\-]{3,}(?:os|as|es|o|a|e)"
        r"|anticoagulantes?|analgésicos?|sedantes?|relajantes?|calmantes?|bloqueadores?"
        r"|betabloqueantes?|inhibidores?|agonistas?|antagonistas?|opioides?|esteroides?"
        r"|corticoesteroides?|corticosteroides?|hormonas?|suplementos?|vitaminas?|vacunas?"
        r"|toxinas?|biológicos?|inmunosupresores?|diuréticos?|broncodilatadores?"
        r"|descongestionantes?|laxantes?|estimulantes?|estatinas?|triptanes?|aines?|isrs"
        r"|benzodiazepinas?|insulina|retinoides?|dopamina|quimioterapia|inmunoterapia"
        r"|nitratos?)\b"
    ),
    "medicine_words": r"\b(?:medicamentos?|medicinas?|fármacos?)\b",
    "forms": (
        r"\b(?:inyecci(?:ón|ones)|inyectables?|cremas?|pomadas?|ungüentos?|gel(?:es)?"
        r"|loci(?:ón|ones)|gotas|aerosol(?:es)?|parches?|inhaladores?|infusi(?:ón|ones)"
        r"|supositorios?|jarabes?|orales?|tópic[oa]s?|inhalad[oa]s?)\b"
    ),
    "not_medicines": (
        r"\b(?:[a-záéíóú]*terapias?|rehabilitación|ejercicios?|estiramientos?|reposo|descanso"
        r"|hielo|calor|frío|compresas?|compresión|elevación|elevar|masajes?|férulas?"
        r"|aparatos?|rodilleras?|tobilleras?|coderas?|cabestrillos?|yesos?|botas?|muletas?"
        r"|bastones?|andadores?|plantillas?|zapatos?|calzado|almohadillas?|vendajes?|vendas?"
        r"|cirugías?|quirúrgic[oa]s?|operaci(?:ón|ones)|procedimientos?|extirpación"
        r"|liberación|reparación|reemplazo|trasplantes?|litotricia|estimulación|ablación"
        r"|radiación|láser|luz|ecografía|ultrasonido|acupuntura|biorretroalimentación"
        r"|asesoramiento|orientación|educación|apoyo|dieta|peso|sueño|agua|líquidos|fibra"
        r"|estilo de vida|hábitos?|evitar|limitar|bajar|dejar|usar|llevar|beber|comer"
        r"|mantener|planes?|plan|medidores?|monitores?|dispositivos?|máquinas?|bombas?"
        r"|espaciadores?|cámaras?|tubos?|drenaje|epidural|bloqueos?|yoga|tai chi|relajación"
        r"|respiración|hipnosis|cpap|oxígeno|diálisis|stents?|cuidados?|humidificadores?"
        r"|irrigación|medias|anteojos|lentes"
        r"|[a-záéíóú]+(?:ectomía|ectomías|otomía|otomías|oscopia|oscopía|plastia|pexia"
        r"|tricia|ostomía))\b"
    ),
    # Something to do, not a name: an infinitive first ("Bajar de peso").
    # (a single word is a name: "Aciclovir").
    "to_do": r"^[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:ar|er|ir)(?:se)? ",
    "described": r",|\bcomo\b|\bo\b|\bu\b",
    # "Algunos medicamentos alivian los brotes. Estos pueden incluir:" (the
    # subject may be left out: "Pueden incluir:").
    "refers_back": (
        r"^(?:estos|estas|éstos|éstas|esos|esas|ellos|ellas|esto|algunos de (?:ellos|estos)"
        r"|algunas de (?:ellas|estas)|algunos|algunas|entre ellos|entre ellas|ejemplos?"
        r"|opciones|pueden|puede|incluyen|incluye|son|se usan|se pueden usar|los cuales"
        r"|las cuales)\b"
    ),
}

CITATIONS = {
    "months": (
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
        "|noviembre|diciembre|ene|feb|mar|abr|may|jun|jul|ago|sep|sept|set|oct|nov|dic"
    ),
    "month_numbers": {
        "ene": 1,
        "feb": 2,
        "mar": 3,
        "abr": 4,
        "may": 5,
        "jun": 6,
        "jul": 7,
        "ago": 8,
        "sep": 9,
        "set": 9,
        "oct": 10,
        "nov": 11,
        "dic": 12,
    },
    # "14/3/2021": day first.
    "numeric_dates": "dmy",
    "dated": {
        "Actualizado": "updated",
        "Actualizada": "updated",
        "Última actualización": "updated",
        "Fecha de actualización": "updated",
        "Modificado": "updated",
        "Publicado": "published",
        "Publicada": "published",
        "Fecha de publicación": "published",
        "Revisado": "reviewed",
        "Revisada": "reviewed",
        "Última revisión": "reviewed",
        "Consultado": "accessed",
        "Consultada": "accessed",
        "Fecha de consulta": "accessed",
        "Fecha de acceso": "accessed",
        "Acceso": "accessed",
        "Accedido": "accessed",
        "Citado": "accessed",
        "Recuperado": "accessed",
    },
    # "Consultado el 3 de marzo", "Actualizado en mayo de 2022".
    "dated_joiner": "el|en|a",
    "available": r"Disponible en(?: línea)?|Disponible desde|URL|Recuperado de|Enlace",
    "website": r"sitio web|página web|portal web",
    # "Sitio web de MedlinePlus", "En: Sitio web de los Centros para …".
    "website_prefix": (
        r"(?:en:? )?(?:el |la )?(?:sitio|página|portal) (?:web|de internet)(?: oficial)?"
        r" (?:de|del)(?: (?:la|las|los|el))?"
    ),
    "medium": r"internet|en línea|sitio web|página web",
    "website_hint": r"\bsitio web\b|\bConsultad[oa]\b|\bFecha de consulta\b",
    # "5.ª ed", "18a edición", "Actualización 2023", "Edición de 2020".
    "edition": (
        r"\d{1,3}(?:\.?ª|\.?º|a|\.)? (?:ed|edición)"
        r"|(?:actualización|edición|revisión|versión) (?:de |del )?(?:1[89]|20)\d\d"
        r"|(?:1[89]|20)\d\d (?:actualización|edición|revisión)"
    ),
}
