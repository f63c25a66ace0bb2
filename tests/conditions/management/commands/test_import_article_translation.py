"""import_article FILE --language es --translation-of SLUG (issue 19): a
Spanish article imported as the translation of an English one, with its
own workflow; drugs are the English article's shared records."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conditions import services
from conditions.demo import MYOCLONUS_ES_FILE, MYOCLONUS_FILE
from conditions.models import Condition, Drug, Organization

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_article", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def english():
    run(MYOCLONUS_FILE, "--publish")
    return Condition.objects.editable().get(slug="myoclonus")


def translate(*extra):
    return run(
        MYOCLONUS_ES_FILE, "--language", "es", "--translation-of", "myoclonus",
        "--title", "Mioclonía", *extra,
    )  # fmt: skip


def test_a_spanish_file_becomes_the_translation_of_the_english_article(english):
    drugs, organizations = Drug.objects.count(), Organization.objects.count()
    output = translate()
    assert output.splitlines()[0] == (
        "Created “Mioclonía” at /es/conditions/mioclonia/ from myoclonus.es.txt as the "
        "translation into Español (es) of “Myoclonus” (revision “Imported from "
        "myoclonus.es.txt”) as a draft."
    )
    translation = Condition.objects.editable("es").get()
    assert (translation.translation_of, translation.language) == (english, "es")
    assert translation.translated_from == english.live_revision
    assert translation.status == "draft" and translation.live_revision is None
    assert [s.kind for s in translation.sections.order_by("order")] == [
        s.kind for s in english.sections.order_by("order")
    ]
    # The same shared records: no new drug or organization.
    assert (Drug.objects.count(), Organization.objects.count()) == (drugs, organizations)
    groups = list(translation.drug_groups.order_by("order"))
    assert [g.heading for g in groups] == ["Sedantes", "Anticonvulsivos", ""]
    english_groups = list(english.drug_groups.order_by("order"))
    for spanish, original in zip(groups, english_groups, strict=True):
        assert list(spanish.drugs.values_list("pk", flat=True)) == list(
            original.drugs.values_list("pk", flat=True)
        )
    # Matched by their place, the drugs now carry their Spanish names.
    assert Drug.objects.get(name="Tetrabenazine").names == {"es": "Tetrabenazina"}
    assert Drug.objects.get(name="Lorazepam").names == {}  # the same name: matched by it
    assert "matched “Tetrabenazine” by its place in the English article" in output
    # Found by the abbreviation in their name, they get the Spanish name too.
    assert Drug.objects.get(slug="5-hydroxytryptophan").names == {
        "es": "5-hidroxitriptófano (5-HTP)"
    }
    assert Drug.objects.get(slug="adrenocorticotropic-hormone").names == {
        "es": "Hormona adrenocorticotrópica (ACTH)"
    }
    assert "matched “5-hydroxytryptophan (5-HTP)”; its Español name recorded" in output
    # The topics are the English article's; the figure its image.
    assert set(translation.tags.names()) == set(english.tags.names())
    (figure,) = translation.figures.all()
    assert figure.caption == "Las vías del sistema nervioso"
    assert figure.image.name == english.figures.get().image.name
    # The English article is untouched.
    english.refresh_from_db()
    assert english.title == "Myoclonus" and english.language == "en"


def test_importing_again_is_a_new_revision_of_the_translation(english):
    translate()
    translation = Condition.objects.editable("es").get()
    output = run(MYOCLONUS_ES_FILE, "--language", "es", "--translation-of", "myoclonus")
    assert output.startswith("Updated “Mioclonía” at /es/conditions/mioclonia/")
    assert Condition.objects.editable("es").get() == translation
    assert translation.revisions.count() == 2
    # Spanish names are found by the Spanish name now.
    assert "Tetrabenazina (matched)" in output
    assert "5-hidroxitriptófano (5-HTP) (matched)" in output


def test_a_translation_is_published_with_its_own_sign_off(english):
    translation = Condition.objects.editable("es")
    translate()
    services.publish(
        condition=translation.get(),
        reviewer_name="Dra. Ana Ruiz",
        reviewer_credentials="MD",
        update_note="Primera versión en español",
    )
    published = translation.get()
    assert published.reviewer_name == "Dra. Ana Ruiz" and published.live_copy is not None
    assert Condition.objects.live("es").get().title == "Mioclonía"
    english.refresh_from_db()
    assert english.reviewer_name != "Dra. Ana Ruiz"


def test_a_translation_s_reading_level_is_measured_in_spanish(english):
    translate()
    translation = Condition.objects.editable("es").get()
    levels = translation.latest_revision.readability
    assert levels["article"]["language"] == "es"
    assert levels["article"]["fernandez_huerta"] > 60
    assert translation.reading_grade is None  # no English grade for Spanish text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--translation-of", "nothing-here"],
            "--translation-of nothing-here: there is no English article at that slug.",
        ),
        (
            ["--language", "fr", "--translation-of", "myoclonus"],
            "--language fr: the library is not translated into that language "
            "(translations can be imported in: es).",
        ),
        (
            ["--translation-of", "mioclonia"],
            "--translation-of mioclonia: that is the translation into Español (es) of "
            "“Myoclonus”; a "
            "translation is made of the English article (--translation-of myoclonus).",
        ),
        (["--language", "es"], "--language es: say which English article this translates"),
        (["--translation-of", "myoclonus", "--language", "en"], "--translation-of: give the"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(english, args, message):
    translate()
    revisions = sorted(Condition.objects.editable(None).values_list("pk", "latest_revision"))
    if "--language" not in args:
        args = ["--language", "es", *args]
    with pytest.raises(CommandError) as error:
        run(MYOCLONUS_ES_FILE, *args)
    assert str(error.value).startswith(message) and "\n" not in str(error.value)
    assert sorted(Condition.objects.editable(None).values_list("pk", "latest_revision")) == (
        revisions
    )


def test_all_in_one_transaction(english, monkeypatch):
    from conditions.importer import writer

    def fail(**kwargs):
        raise services.WorkflowError("the reviewer is away")

    monkeypatch.setattr(writer.services, "publish", fail)
    names = dict(Drug.objects.values_list("name", "names"))
    with pytest.raises(CommandError, match="nothing was imported: the reviewer is away"):
        translate("--publish")
    assert not Condition.objects.editable("es").exists()
    assert dict(Drug.objects.values_list("name", "names")) == names  # no Spanish name kept


def test_dry_run_writes_nothing(english):
    output = translate("--dry-run")
    assert output.startswith("Dry run, nothing was written: the import would create “Mioclonía”")
    assert not Condition.objects.editable("es").exists()
    assert Drug.objects.get(name="Tetrabenazine").names == {}


def test_a_drugs_spanish_name_already_given_is_kept(english):
    Drug.objects.filter(slug="5-hydroxytryptophan").update(names={"es": "5-HTP (suplemento)"})
    output = translate()
    assert Drug.objects.get(slug="5-hydroxytryptophan").names == {"es": "5-HTP (suplemento)"}
    assert "5-hidroxitriptófano (5-HTP) (matched “5-hydroxytryptophan (5-HTP)”)" in output
