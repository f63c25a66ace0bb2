"""The demo library: the seed's Myoclonus article, fully structured.

The words are the seed's (``../shared/seed/myoclonus.txt``). Its lost lists
of links stay as the flagged content gaps; nothing medical is invented.
"""

MYOCLONUS = {
    "title": "Myoclonus",
    "slug": "myoclonus",
    "alternate_names": "",
    "summary": "Myoclonus is a brief and rapid twitching of a muscle or muscle groups.",
    "audience": "patient",
    "tags": ["Movement disorders", "Nervous system"],
    "codes": [{"system": "icd10cm", "code": "G25.3"}],
    "sections": [
        {
            "kind": "definition",
            "heading": "",
            "order": 0,
            "body": (
                "Myoclonus is a brief and rapid twitching of a muscle or muscle groups. "
                "The twitching happens suddenly. It cannot be stopped or controlled.\n\n"
                "There are different types of myoclonus. Some occur normally, like the "
                "hiccups or a movement while falling asleep. Other types are abnormal. "
                "The condition can be classified according to:\n\n"
                "- Underlying cause\n- Pattern of movement\n- Origin within the body\n"
            ),
        },
        {
            "kind": "causes",
            "heading": "",
            "order": 1,
            "body": (
                "The movements are caused by an abnormal electrical discharge in the "
                "nervous system. The electrical discharge may begin in the:\n\n"
                "- Brain\n- Spinal cord\n- Nerves in the body\n\n"
                "The message travels along the nerves to the muscle. The nerve stimulates "
                "a muscle or group of muscles to suddenly contract.\n\n"
                "What triggers the abnormal electrical discharge depends on the cause. "
                "Myoclonus is often a symptom of a nervous system or metabolic condition. "
                "Possible causes include:\n"
            ),
        },
        {
            "kind": "risk_factors",
            "heading": "",
            "order": 2,
            "body": "A family history of myoclonus is the only common risk factor that "
            "has been identified.\n",
        },
        {
            "kind": "symptoms",
            "heading": "",
            "order": 3,
            "body": (
                "Myoclonic symptoms vary from mild to severe. This depends on the cause of "
                "the problem. It may begin in childhood or adulthood. The sudden jerking or "
                "twitching may occur once in a while or often. It may be limited to one "
                "region of the body or affect all muscle groups.\n\n"
                "Light, sound, touch, or movement may be triggers. Or, it may happen for no "
                "known reason. Movements can occur at rest or during other movements. There "
                "may be one or a series of twitches. Sometimes, the jerking occurs in a "
                "pattern. Other times, there is no pattern. Myoclonus can become so severe "
                "that it interferes with eating, speaking, or walking.\n"
            ),
        },
        {
            "kind": "diagnosis",
            "heading": "",
            "order": 4,
            "body": (
                "Your doctor will ask about your symptoms and medical history. A physical "
                "exam will be done. Your doctor will try to determine the following:\n\n"
                "- The localization of the myoclonus in the nervous system\n"
                "- If an underlying condition is responsible for the symptoms\n\n"
                "You may have your brain and muscle activity measured and recorded. This "
                "can be done with:\n\n"
                "Pictures may be taken of your brain and spinal cord. This can be done "
                "with:\n\n"
                "Your bodily fluids may be tested. This can be done with blood tests.\n"
            ),
        },
        {
            "kind": "treatment",
            "heading": "",
            "order": 5,
            "body": (
                "Treatment will begin by attempting to cure any underlying causes, such as "
                "tumors or electrolyte imbalances. If these treatments do not work, then "
                "treatment aims to reduce how severe the movements are. In some case, "
                "multiple drugs are needed to reduce twitching. Some have serious side "
                "effects.\n"
            ),
        },
        {
            "kind": "prevention",
            "heading": "",
            "order": 6,
            "body": (
                "Taking these steps may help to reduce your chance of myoclonus:\n\n"
                "- Take care to prevent brain injury. For example, wear a helmet when "
                "riding a bicycle or motorcycle.\n"
                "- If twitching begins after starting a new medication, tell your doctor. "
                "Your doctor may be able to lower the dose or prescribe a different "
                "medication.\n"
            ),
        },
    ],
    "drug_groups": [
        {
            "heading": "Sedatives",
            "order": 0,
            "drugs": [
                {"name": "Lorazepam"},
                {"name": "Diazepam"},
                {"name": "Clonazepam"},
                {"name": "Piracetam"},
                {"name": "Tetrabenazine"},
            ],
        },
        {
            "heading": "Anticonvulsants",
            "order": 1,
            "drugs": [
                {"name": "Clonazepam"},
                {"name": "Divalproate sodium"},
                {"name": "Gabapentin"},
                {"name": "Topiramate"},
                {"name": "Primidone"},
                {"name": "Carbamazepine"},
            ],
        },
        {
            "heading": "",
            "order": 2,
            "drugs": [
                {"name": "5-hydroxytryptophan (5-HTP)", "slug": "5-hydroxytryptophan"},
                {"name": "Adrenocorticotropic hormone (ACTH)", "slug": "acth"},
            ],
        },
    ],
    "organizations": [
        {
            "name": "National Institute of Neurological Disorders and Stroke",
            "region": "US",
            "url": "https://www.ninds.nih.gov/",
        },
        {
            "name": "Canadian Association of Neuroscience Nurses",
            "region": "CA",
            "url": "https://cann.ca/",
        },
        {
            "name": "Health Canada",
            "region": "CA",
            "url": "https://www.canada.ca/en/health-canada.html",
        },
    ],
    "references": [
        {
            "order": 0,
            "authors": "Dalmau J, Rosenfeld MR",
            "title": "Paraneoplastic syndromes of the CNS",
            "journal": "Lancet Neurology",
            "year": 2008,
            "volume": "7",
            "pages": "327-340",
        },
        {
            "order": 1,
            "title": "Myoclonus and its disorders",
            "journal": "Neurologic Clinics",
            "year": 2001,
            "month": "August",
        },
    ],
    "figures": [
        {
            "caption": "The Nervous System Pathways",
            "alt_text": "Diagram of the nervous system pathways: the brain, the spinal cord "
            "and the nerves that carry messages to the muscles.",
            "credit": "Copyright © Nucleus Medical Media, Inc.",
            "placement": "causes",
        }
    ],
    "review": {
        "reviewer_name": "Demo Medical Reviewer",
        "reviewer_credentials": "MD",
        "update_note": "Demo content loaded from the seed article.",
    },
}
