"""Fill a database with generated, published articles of realistic size,
fast (bulk inserts), for the benchmarks. Never used by the application.

Each article: 8 sections of three paragraphs, 15 drugs in 3 groups, 5
references, 2 organizations, a figure, 3 topics, an ICD-10-CM code; a working
copy and its live copy, as publishing would leave them.
"""

import random
import string

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from conditions.models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Figure,
    MedicalCode,
    Organization,
    Reference,
    Section,
)
from conditions.models.images import make_renditions, placeholder_image
from healthlib.lib.markdown import render_markdown

WORDS = [
    "muscle",
    "nerve",
    "pain",
    "swelling",
    "fever",
    "fatigue",
    "joint",
    "blood",
    "pressure",
    "heart",
    "lung",
    "breathing",
    "tremor",
    "headache",
    "dizziness",
    "rash",
    "sleep",
    "appetite",
    "weight",
    "vision",
    "hearing",
    "memory",
    "balance",
    "infection",
    "inflammation",
    "medicine",
    "therapy",
    "exercise",
    "diet",
    "doctor",
    "symptoms",
    "diagnosis",
    "test",
    "scan",
    "treatment",
    "recovery",
    "family",
    "history",
    "risk",
    "child",
    "adult",
    "older",
    "women",
    "men",
    "daily",
    "life",
    "stress",
    "skin",
    "kidney",
    "liver",
    "stomach",
    "bowel",
    "bladder",
    "bone",
    "spine",
    "brain",
    "twitching",
    "stiffness",
]
PREFIXES = [
    "Acute",
    "Chronic",
    "Juvenile",
    "Familial",
    "Primary",
    "Secondary",
    "Benign",
    "Idiopathic",
    "Atypical",
]
ROOTS = [
    "arthritis",
    "myopathy",
    "neuropathy",
    "dermatitis",
    "colitis",
    "nephritis",
    "hepatitis",
    "myositis",
    "encephalitis",
    "bronchitis",
    "gastritis",
    "tendinitis",
    "vasculitis",
    "anemia",
    "migraine",
    "dystonia",
    "ataxia",
    "tremor",
    "myoclonus",
    "syndrome",
]
KINDS = ["definition", "causes", "risk_factors", "symptoms", "diagnosis", "treatment",
         "prevention", "living_with"]  # fmt: skip


def _sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng):
    return " ".join(_sentence(rng, rng.randint(9, 18)) for _ in range(rng.randint(4, 7)))


def title_for(i, rng):
    return f"{rng.choice(PREFIXES)} {rng.choice(ROOTS)} {i}"


@transaction.atomic
def generate(n, *, seed=7, batch=250, progress=None):
    """Create ``n`` published articles. Returns their slugs."""
    rng = random.Random(seed)
    drugs = Drug.objects.bulk_create(
        [
            Drug(name=f"Drug {a}{b}{c}", slug=f"drug-{a}{b}{c}".lower())
            for a in string.ascii_uppercase[:8]
            for b in "aeiou"
            for c in "klmnprst"
        ],
        ignore_conflicts=True,
    )
    drugs = list(Drug.objects.filter(name__startswith="Drug ").order_by("pk"))
    orgs = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Bench organization {k}",
                url=f"https://org{k}.example.org/",
                region="US" if k % 3 else "CA",
            )
            for k in range(60)
        ],
        ignore_conflicts=True,
    )
    orgs = list(Organization.objects.filter(name__startswith="Bench organization"))
    tags = [
        Tag.objects.get_or_create(name=f"Topic {k}", defaults={"slug": f"topic-{k}"})[0]
        for k in range(40)
    ]
    figure = Figure(
        image=default_storage.save(
            "figures/bench.png", ContentFile(placeholder_image("Bench figure").read())
        )
    )
    figure.renditions = make_renditions(figure.image)
    content_type = ContentType.objects.get_for_model(Condition)
    now = timezone.now()
    today = timezone.localdate()
    slugs = []

    for start in range(0, n, batch):
        count = min(batch, n - start)
        specs = []
        for i in range(start, start + count):
            title = title_for(i, rng)
            slug = f"{title.lower().replace(' ', '-')}"
            slugs.append(slug)
            bodies = []
            for _ in KINDS:
                text = "\n\n".join(_paragraph(rng) for _ in range(3))
                text += "\n\n" + "\n".join(f"- {_sentence(rng, 6)}" for _ in range(4))
                bodies.append((text, render_markdown(text)))
            specs.append(
                {
                    "title": title,
                    "slug": slug,
                    "bodies": bodies,
                    "summary": _sentence(rng, 20),
                    "drugs": rng.sample(drugs, 15),
                    "orgs": rng.sample(orgs, 2),
                    "tags": rng.sample(tags, 3),
                    "code": f"{rng.choice('GMKJ')}{rng.randint(10, 99)}.{rng.randint(0, 9)}",
                }
            )
        common = {
            "status": "published",
            "last_reviewed": today,
            "reviewer_name": "Bench Reviewer",
            "reviewer_credentials": "MD",
            "published_at": now,
            "first_published_at": now,
            "has_unpublished_changes": False,
        }
        working = Condition.objects.bulk_create(
            [
                Condition(title=s["title"], slug=s["slug"], summary=s["summary"], **common)
                for s in specs
            ]
        )
        live = Condition.objects.bulk_create(
            [
                Condition(
                    title=s["title"],
                    slug=s["slug"],
                    summary=s["summary"],
                    is_live=True,
                    source=w,
                    **common,
                )
                for s, w in zip(specs, working, strict=True)
            ]
        )
        sections, groups, refs, links, figures, codes, tagged = [], [], [], [], [], [], []
        for spec, w, lv in zip(specs, working, live, strict=True):
            for copy in (w, lv):
                for order, (kind, (body, html)) in enumerate(
                    zip(KINDS, spec["bodies"], strict=True)
                ):
                    sections.append(
                        Section(condition=copy, kind=kind, body=body, body_html=html, order=order)
                    )
                for g in range(3):
                    groups.append(DrugGroup(condition=copy, heading=f"Group {g + 1}", order=g))
                for r in range(5):
                    refs.append(
                        Reference(
                            condition=copy,
                            order=r,
                            authors="Doe J, Roe R",
                            title=_sentence(rng, 8).rstrip("."),
                            journal="Journal of Medicine",
                            year=2015 + r,
                            volume=str(10 + r),
                            pages=f"{r * 10 + 1}-{r * 10 + 9}",
                        )
                    )
                for o, org in enumerate(spec["orgs"]):
                    links.append(ArticleOrganization(condition=copy, organization=org, order=o))
                figures.append(
                    Figure(
                        condition=copy,
                        image=figure.image.name,
                        width=1200,
                        height=800,
                        alt_text="A generated figure",
                        caption="Figure",
                        credit="Copyright © Bench",
                        placement="causes",
                        renditions=figure.renditions,
                    )
                )
                codes.append(MedicalCode(condition=copy, system="icd10cm", code=spec["code"]))
                tagged.extend(
                    TaggedItem(tag=t, content_type=content_type, object_id=copy.pk)
                    for t in spec["tags"]
                )
        Section.objects.bulk_create(sections)
        groups = DrugGroup.objects.bulk_create(groups)
        items = []
        group_iter = iter(groups)
        for spec in specs:
            for _copy in range(2):
                for g in range(3):
                    group = next(group_iter)
                    items.extend(
                        DrugGroupItem(group=group, drug=d, order=k)
                        for k, d in enumerate(spec["drugs"][g * 5 : (g + 1) * 5])
                    )
        DrugGroupItem.objects.bulk_create(items)
        Reference.objects.bulk_create(refs)
        ArticleOrganization.objects.bulk_create(links)
        Figure.objects.bulk_create(figures)
        MedicalCode.objects.bulk_create(codes)
        TaggedItem.objects.bulk_create(tagged)
        if progress:
            progress(start + count)
    return slugs
