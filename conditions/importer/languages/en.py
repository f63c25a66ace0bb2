"""English: what the importer knows of the library's articles in English.

A table, nothing else: ``conditions.importer.vocabulary`` compiles it. Every
pattern is a plain alternation of words (linear to search).
"""

# Heading lines (casefolded, without a closing colon or full stop) → the part.
HEADINGS = {
    "definition": "definition",
    "overview": "definition",
    "what is it": "definition",
    "causes": "causes",
    "cause": "causes",
    "risk factors": "risk_factors",
    "risk factor": "risk_factors",
    "symptoms": "symptoms",
    "signs and symptoms": "symptoms",
    "diagnosis": "diagnosis",
    "tests and diagnosis": "diagnosis",
    "treatment": "treatment",
    "treatments": "treatment",
    "treatment options": "treatment",
    "medications": "treatment",
    "prevention": "prevention",
    "complications": "complications",
    "outlook": "outlook",
    "prognosis": "outlook",
    "living with": "living_with",
    "when to call your doctor": "when_to_call",
    "when to contact a doctor": "when_to_call",
    "when to call a doctor": "when_to_call",
    "resources": "resources",
    "us resources": "resources",
    "resources in the us": "resources",
    "canadian resources": "canadian_resources",
    "resources in canada": "canadian_resources",
    "references": "references",
    "sources": "references",
    "revision information": "end",
    "when to get urgent help": "urgent_help",
    "when to get emergency help": "urgent_help",
    "when to seek emergency care": "urgent_help",
    "when to call 911": "urgent_help",
}
# A heading starting so names the part ("Living with gout").
HEADING_PREFIXES = {"living with": "living_with"}
# The headings that are only a part's standard name: the page shows the
# part's own label instead.
STANDARD_HEADINGS = [
    "definition",
    "causes",
    "risk factors",
    "symptoms",
    "diagnosis",
    "treatment",
    "prevention",
    "resources",
    "canadian resources",
    "references",
]
# Page chrome: where the article ends even without "Revision Information".
CHROME = (
    r"did you like this\??|share with your family|current research from top journals"
    r"|our free newsletter"
)
# Letters a glued sentence may start with ("controlled.There are").
CAPITALS = "A-Z"
# Words before a glued full stop that are abbreviations, not a sentence's end.
ABBREVIATIONS = (
    ("e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "no", "fig", "figs")
    + ("approx", "inc", "ltd", "co", "jr", "sr", "vol", "al", "u.s", "u.k", "a.m", "p.m")
    + ("ph.d", "m.d", "mt", "ft")
)
# A first sentence that defines ("Gout is a …").
DEFINES = r"\b(is|are) (a|an|the)\b|\brefers to\b"
# The article's other names in its first paragraph ("Gout, also called gouty
# arthritis, is …"): the words up to the next punctuation, split at "or".
ALSO_CALLED = r"\b(?:also called|also known as|sometimes called) "
OR = " or "
# A resource of the Canadian list.
CANADIAN = r"\bCanad"
# A sentence (for the "is there any article here" check): a lower-case
# letter before the closing mark.
LOWER = "a-z"

# The vocabulary of each part: a block scores one point per pattern found in
# it and one more per pattern in its first sentence (capped).
KEYWORDS = {
    "causes": [
        r"\bcaused by\b|\bcauses? (?:is|are|of|include)\b|\b(?:the|exact|common|main) causes?\b",
        r"\btrigger",
        r"\bdue to\b",
        r"\bresults? (?:of|from)\b",
        r"\b(?:happens|occurs|develops|forms?|starts) when\b",
        r"\bgenes?\b|\bgenetic",
        r"\binfections?\b|\bvirus\b|\bbacteria",
        r"\bnot (?:always |fully )?(?:known|clear)\b",
        r"\b(?:too much|buildup|build-up|overuse|stress on)\b",
        r"\b(?:pressure on|damage to|tears? in|small tears)\b",
        r"\bleads? to\b|\bplays? a role\b",
    ],
    "risk_factors": [
        r"\brisks?\b",
        r"\bmore (?:common|likely)\b",
        r"\bfactors?\b",
        r"\bfamily history\b",
        r"\bchances? (?:of|are)\b",
        r"\b(?:older|age|aged|women|men|overweight|obesity|smoking)\b",
        r"\braise your\b|\bincrease your\b",
    ],
    "symptoms": [
        r"\bsymptoms?\b",
        r"\bsigns?\b",
        r"\bmay (?:have|feel|notice)\b|\bfeel(?:s|ing)?\b",
        r"\bpain(?:ful)?\b|\bache|\bhurts?\b|\bsore\b|\btender",
        r"\bproblems? with\b|\btrouble\b",
        r"\b(?:swelling|swollen|redness|numbness|tingling|itch|rash|fever|cough|wheez|tired"
        r"|fatigue|stiff|weakness|burning|nausea|vomit|dizz|blisters?|bruis|shaking)",
        r"\bworse\b|\bworst\b",
    ],
    "diagnosis": [
        r"\bdiagnos",
        r"\bdoctor will\b",
        r"\bexam(?:ination)?\b",
        r"\btests?\b|\btested\b",
        r"\bmedical history\b|\bhealth history\b",
        r"\bimaging\b|\bMRI\b|\bscans?\b|\bx-rays?\b|\bultrasound\b|\bimages?\b",
        r"\bmeasured\b|\brule out\b|\bconfirm",
    ],
    "treatment": [
        r"\btreat",
        r"\bmedications?\b|\bmedicines?\b|\bdrugs?\b",
        r"\btherapy\b",
        r"\bsurgery\b",
        r"\bmanag(?:e|ed|ing)\b",
        r"\bdoses?\b",
        r"\b(?:relieve|ease|options?|cured?|heal|get better)\b",
    ],
    "prevention": [
        r"\bprevent",
        r"\breduce your (?:chance|risk)",
        r"\bavoid",
        r"\b(?:lowers?|reduces?) (?:your|the) (?:chance|risk)",
        r"\brecommended\b|\bhelps? (?:to )?(?:stop|keep)\b",
        r"\bsteps\b",
        r"\bvaccines?\b",
    ],
}

# Emergency blocks ("Get medical help right away if there is:" and its
# list, "Call 911 or go to the emergency room if …"), wherever they are in
# the text, become the "When to get urgent help" section readers see first
# (``conditions.importer.urgent`` says how the words are used).
URGENT = {
    # Care that is urgent by itself.
    "services": (
        r"\b(?:911|999|112)\b|\bemergency (?:rooms?|departments?|services?|care|help|treatment"
        r"|medical (?:services|care|help|attention)|numbers?|units?|cent(?:er|re)s?)\b"
        r"|\bthe ER\b|\bA&E\b|\bambulances?\b|\burgent care\b|\bpoison control\b"
    ),
    # Care that is urgent with a word of urgency ("medical help right away").
    "help": (
        r"\b(?:medical (?:help|care|attention|advice|treatment)|help|care|attention|treatment"
        r"|doctors?|providers?|nurses?|hospital)\b"
    ),
    "urgency": (
        r"\b(?:right away|immediately|at once|urgently|straight away|without delay|promptly"
        r"|as soon as possible|right now)\b"
    ),
    # Going for care: the verb before the care it names ("get … help", "call 911").
    "seek": (
        r"\b(?:call|calling|phone|dial|ring|go|going|get|getting|seek|seeking|contact|see"
        r"|visit|head|take|taken|bring|brought|rush|drive|driven|need|needs|needed|require"
        r"|requires|required)\b"
    ),
    # The verbs that say care is needed, of anyone ("Children who need emergency care").
    "need": r"\b(?:need|needs|needed|require|requires|required)\b",
    # Said to the reader: an imperative at the start of a clause, or "you".
    "imperative": (
        r"^(?:please |and |or |but |then |so |instead |also |always |now )*(?:call|phone|dial"
        r"|ring|go|get|seek|contact|see|visit|head|take|bring|rush|have someone|ask someone)\b"
    ),
    "addressed": r"\b(?:you|your|yourself|someone|anyone|important)\b",
    # Care that is needed, said of no one ("Emergency care is needed if …").
    "needed": r"\b(?:is|are|be) (?:needed|required|necessary)\b",
    # The condition, at the start ("If …, call 911") or after ("Call 911 if …").
    "condition": r"\b(?:if|when|whenever|in case|should you)\b",
}

# Medicines in a Treatment list (``conditions.importer.medicines``).
MEDICINES = {
    # Endings of generic drug names (INN stems) and of drug classes.
    "stems": (
        "pam|lam|zolam|azepam|olol|alol|pril|sartan|statin|mab|nib|cillin|mycin|micin|cycline"
        "|floxacin|oxacin|azole|conazole|vir|ciclovir|triptan|tidine|prazole|profen|parin|afil"
        "|dipine|gliptin|gliflozin|glutide|lukast|sone|solone|olone|terol|tropium|azine|zepine"
        "|barbital|caine|coxib|setron|pentin|gabalin|racetam|amate|idone|ridone|oxetine|aline"
        "|pramine|triptyline|azosin|osin|thiazide|semide|dronate|tinib|ximab|zumab|umab|proxen"
        "|ophen|pramide|onide|fenac|oxicam|codone|morphone|adol|tadine|atadine|astine|ergide"
        "|pexole|tigotine|nidazole|mectin|thromycin|amycin|dazole|trexate|pirone|lamide|inoin"
        "|idine|ipine|orphan|ium|purinol|ostat|thyroxine|formin|pirin|farin|dopa|xone|orphine"
        "|codeine|izine|amine|edrine|limus"
    ),
    # A drug name's first letter and the letters that follow it.
    "first_letter": "A-Za-z",
    "letters": r"a-z\-",
    # Chemical name parts: "5-hydroxytryptophan", "divalproate sodium".
    "chemical": (
        r"hydroxy|methyl|ethyl|chlor|fluor|sulfa|sulf(?:ate|ide)|\bsodium\b|\bpotassium\b"
        r"|\bmagnesium\b|\bzinc\b|\bacid\b|\bamine\b"
    ),
    # Words naming medicines or a class of them ("Anticonvulsants").
    "classes": (
        r"\b(?:medicines?|medications?|drugs?|prescriptions?|pills?|tablets?|capsules?"
        r"|antibiotics?|antivirals?|antifungals?|antihistamines?|antacids?"
        r"|anti[a-z\-]{3,}(?:ants?|ics?|ives?|ines?|als?|s)|thinners?"
        r"|analgesics?|sedatives?|relaxants?|relievers?|reducers?|blockers?|inhibitors?"
        r"|agonists?|antagonists?|ligands?|opioids?|steroids?|corticosteroids?|hormones?"
        r"|supplements?|vitamins?|vaccines?|toxins?|biologics?|immunosuppressants?|diuretics?"
        r"|bronchodilators?|decongestants?|laxatives?|stimulants?|statins?|triptans?|nsaids?"
        r"|ssris?|snris?|benzodiazepines?|insulin|retinoids?|dopamine|chemotherapy"
        r"|immunotherapy|nitrates?)\b"
    ),
    # The plain words for medicines: a heading with one names medicines
    # even when it also names a therapy ("Medicines and physical therapy").
    "medicine_words": r"\b(?:medicines?|medications?|drugs?)\b",
    # Dosage forms: weaker than a name.
    "forms": (
        r"\b(?:injections?|shots?|creams?|ointments?|gels?|lotions?|drops|sprays?|patch(?:es)?"
        r"|inhalers?|infusions?|suppositor(?:y|ies)|syrups?|lozenges?|oral|topical|inhaled)\b"
    ),
    # Therapies, procedures, devices and self-care.
    "not_medicines": (
        r"\b(?:[a-z]*therap(?:y|ies|ist)|rehabilitation|exercises?|stretch(?:es|ing)?"
        r"|rest(?:ing)?|ice|icing|heat|cold|compress(?:es|ion)?|elevat(?:e|ion|ing)|massage"
        r"|splints?|braces?|bracing|straps?|slings?|casts?|boots?|crutch(?:es)?|canes?"
        r"|walkers?|orthotics?|inserts?|insoles?|shoes?|footwear|pads?|taping|tape|wraps?"
        r"|surgery|surgical|surgeries|operations?|procedures?|release|repair|removal|remove"
        r"|replacement|transplant|lithotripsy|stimulation|ablation|radiation|laser|light"
        r"|phototherapy|ultrasound|acupuncture|biofeedback|counseling|counselling|education"
        r"|support|diet|dieting|weight|sleep|water|fluids|fiber|lifestyle|habits?"
        r"|avoid(?:ing)?|limit(?:ing)?|los(?:e|ing)|quit(?:ting)?|stop(?:ping)?|wear(?:ing)?"
        r"|rais(?:e|ing)|drink(?:ing)?|eat(?:ing)?|keep(?:ing)?|us(?:e|ing) (?:a|an)|plans?"
        r"|meters?|monitor(?:ing)?|devices?|machines?|pumps?|spacers?|tubes?|drainage"
        r"|epidural|nerve blocks?|dry needling|watchful waiting|yoga|tai chi|relaxation"
        r"|breathing|hypnosis|cpap|oxygen|dialysis|stents?|care|aids?|humidifiers?"
        r"|irrigation|bandages?|stockings?|glasses|lenses"
        r"|[a-z]+(?:ectomy|ectomies|otomy|otomies|oscopy|oscopies|plasty|plasties|pexy"
        r"|tripsy|ostomy|plication))\b"
    ),
    # Something to do, not a name ("Avoiding alcohol", "Losing weight").
    "to_do": r"^[A-Z][a-z]+ing\b",
    # A description around a medicine's name ("Pain relievers, such as ibuprofen").
    "described": r",|\bsuch as\b|\blike\b|\bor\b",
    # A sentence before a list that names nothing itself but points back to
    # the sentence before it: "Some medicines can ease a flare. These can include:".
    "refers_back": (
        r"^(?:these|they|this|those|such|some of (?:these|them|those)|some|examples?|options?"
        r"|choices?|ones?|common ones|the (?:main|most common|usual) ones|among them|which"
        r"|it|them|each)\b"
    ),
}

# Citations: their months, the words of websites' dates, and the labels of
# what is not a title (``conditions.importer.citations``).
CITATIONS = {
    "months": (
        "January|February|March|April|May|June|July|August|September|October|November"
        "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    ),
    # A month's first three letters → its number.
    "month_numbers": {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "may": 5,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
    # "3/14/2021": month first.
    "numeric_dates": "mdy",
    # What a date says → which date it is.
    "dated": {
        "Updated": "updated",
        "Last updated": "updated",
        "Last modified": "updated",
        "Modified": "updated",
        "Published": "published",
        "Posted": "published",
        "Reviewed": "reviewed",
        "Last reviewed": "reviewed",
        "Page last reviewed": "reviewed",
        "Accessed": "accessed",
        "Last accessed": "accessed",
        "Date accessed": "accessed",
        "Cited": "accessed",
        "Retrieved": "accessed",
        "Revised": "revised",
    },
    # Words between the date's word and the date ("Updated on June 1, 2022").
    "dated_joiner": "on",
    "available": r"Available (?:at|from|online)|URL|Retrieved from",
    # A website's name written with what it is: "MedlinePlus website", "the
    # website of the American Heart Association".
    "website": r"web ?site|web page|homepage|home page",
    "website_prefix": r"(?:in:? )?(?:the )?(?:web ?site|homepage) of(?: the)?",
    # What a Vancouver citation says of the medium: "MedlinePlus [Internet]".
    "medium": r"internet|online|web ?site|homepage",
    # What makes a citation without an address read as a website.
    "website_hint": r"\bwebsite\b|\bAccessed\b",
    # A book's edition or a guideline's version, a sentence of its own:
    # "5th ed", "Rev ed", "2023 update", "Version 2.2024".
    "edition": (
        r"\d{1,3}(?:st|nd|rd|th) (?:ed|edn|edition)|(?:rev|revised) (?:ed|edition)"
        r"|(?:1[89]|20)\d\d (?:update|updates|edition|revision|version|guidelines?|report)"
        r"|(?:version|v) \d{1,4}(?:\.\d{1,4}){0,2}|updated (?:1[89]|20)\d\d edition"
    ),
}
