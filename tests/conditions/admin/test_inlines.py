"""The article form's inlines (conditions.admin.inlines). Order is data: the
article change form saves exactly the edit made.

A Hypothesis state machine drives the real admin change form (GET the page,
change what an editor changes, POST what the browser sends, with or without
the page's script numbering the rows) through random edits: reorder
sections, drug groups, the drugs of a group, references, organizations and
figures; add, remove and edit rows. After every save the article's snapshot
is exactly the one before with that edit applied: every ordered list keeps
the order the editor gave, and a new row goes where the editor put it (the
end, unless moved). And the drug groups' autocomplete, and a malformed
medical code refused with its format."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from conditions import services
from conditions.models import Condition, Drug, MedicalCode, Organization, Reference, Section
from conditions.publishing import snapshots
from tests import factories
from tests.admin_forms import add_another, add_rows, browser_form_data, form_data

pytestmark = pytest.mark.django_db

INLINES = {
    "sections": "sections",
    "drug_groups": "drug_groups",
    "references": "references",
    "organizations": "organization_links",
    "figures": "figures",
}
ORDERED = [name for name in INLINES if name != "organizations"]  # have an "order" key
_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.just("\n"), max_size=30
)


def _blank(model, fields):
    blank = model()
    return {field: getattr(blank, field) for field in fields}


class ChangeForm(RuleBasedStateMachine):
    # Set by the test: a logged-in admin client, the article and what it
    # holds at the start (each example starts from it, without making the
    # figures' renditions again).
    client = condition = start = drugs = organizations = None

    @initialize()
    def open_article(self):
        services.update_article(condition=self.condition, data=self.start)
        self.expected = self._stored()

    # ---- driving the form -------------------------------------------------

    def _stored(self):
        condition = Condition.objects.get(pk=self.condition.pk)
        return snapshots.as_stored(snapshots.take(condition))

    def _form(self, script):
        self.url = reverse("admin:conditions_condition_change", args=[self.condition.pk])
        page = self.client.get(self.url)
        assert page.status_code == 200
        return browser_form_data(page, numbered=script)

    def _save(self, data, edit):
        response = self.client.post(self.url, data)
        errors = response.context and [
            e for i in response.context["inline_admin_formsets"] for e in i.formset.errors if e
        ]
        assert response.status_code == 302, (edit, errors)
        for name in ORDERED:
            for position, row in enumerate(self.expected[name]):
                row["order"] = position
        assert self._stored() == self.expected, edit

    # ---- edits ------------------------------------------------------------

    @rule(data=st.data(), inline=st.sampled_from(list(INLINES)), script=st.booleans())
    def reorder(self, data, inline, script):
        rows = self.expected[inline]
        order = data.draw(st.permutations(range(len(rows))))
        form = self._form(script)
        # What the page's script sends after a drag or Move: 1, 2, 3… in the new order.
        for position, row in enumerate(order, start=1):
            form[f"{INLINES[inline]}-{row}-order"] = str(position)
        self.expected[inline] = [rows[row] for row in order]
        self._save(form, ("reorder", inline, order))

    @rule(data=st.data(), script=st.booleans())
    def reorder_drugs(self, data, script):
        groups = [n for n, g in enumerate(self.expected["drug_groups"]) if g["drugs"]]
        if not groups:
            return
        g = data.draw(st.sampled_from(groups))
        drugs = data.draw(st.permutations(self.expected["drug_groups"][g]["drugs"]))
        form = self._form(script)
        form[f"drug_groups-{g}-drug_list"] = [str(d["id"]) for d in drugs]
        self.expected["drug_groups"][g]["drugs"] = list(drugs)
        self._save(form, ("reorder drugs", g, drugs))

    @rule(data=st.data(), script=st.booleans())
    def add_drug(self, data, script):
        if not self.expected["drug_groups"]:
            return
        g = data.draw(st.integers(0, len(self.expected["drug_groups"]) - 1))
        group = self.expected["drug_groups"][g]
        spare = [d for d in self.drugs if d not in {x["id"] for x in group["drugs"]}]
        if not spare:
            return
        drug = Drug.objects.get(pk=data.draw(st.sampled_from(spare)))
        form = self._form(script)
        form[f"drug_groups-{g}-drug_list"] = [str(d["id"]) for d in group["drugs"]] + [str(drug.pk)]
        group["drugs"].append({"id": drug.pk, "name": drug.name, "slug": drug.slug})
        self._save(form, ("add drug", g, drug.name))

    @rule(data=st.data(), inline=st.sampled_from(list(INLINES)), script=st.booleans())
    def remove(self, data, inline, script):
        rows = self.expected[inline]
        if not rows:
            return
        n = data.draw(st.integers(0, len(rows) - 1))
        form = self._form(script)
        form[f"{INLINES[inline]}-{n}-DELETE"] = "on"
        del rows[n]
        self._save(form, ("remove", inline, n))

    @rule(
        body=_text.filter(str.strip),
        how=st.sampled_from(["blank row", "add another"]),
        script=st.booleans(),
    )
    def add_section(self, body, how, script):
        form = self._form(script)
        row = {"kind": "other", "heading": "Added", "body": body.replace("\n", "\r\n")}
        if how == "blank row":  # the one empty row the page shows
            n = len(self.expected["sections"])
            for name, value in row.items():
                form[f"sections-{n}-{name}"] = value
        else:
            add_another(form, "sections", row, numbered=script)
        self.expected["sections"].append(
            {**_blank(Section, snapshots.SECTION_FIELDS), **row, "body": body}
        )
        self._save(form, ("add section", how))

    @rule(title=_text.filter(str.strip), script=st.booleans())
    def add_reference(self, title, script):
        form = self._form(script)
        row = {"authors": "Poe E", "title": title.replace("\n", " "), "year": "2021"}
        add_another(form, "references", row, numbered=script)
        self.expected["references"].append(
            {**_blank(Reference, snapshots.REFERENCE_FIELDS), **row, "year": 2021}
        )
        self._save(form, ("add reference", title))

    @rule(data=st.data(), script=st.booleans())
    def add_group(self, data, script):
        drugs = data.draw(st.lists(st.sampled_from(self.drugs), unique=True, max_size=3))
        form = self._form(script)
        add_another(
            form,
            "drug_groups",
            {"heading": "Added group", "drug_list": [str(d) for d in drugs]},
            numbered=script,
        )
        named = {d.pk: d for d in Drug.objects.filter(pk__in=drugs)}
        self.expected["drug_groups"].append(
            {
                "heading": "Added group",
                "order": None,
                "drugs": [{"id": d, "name": named[d].name, "slug": named[d].slug} for d in drugs],
            }
        )
        self._save(form, ("add group", drugs))

    @rule(data=st.data(), script=st.booleans())
    def add_organization(self, data, script):
        linked = {o["id"] for o in self.expected["organizations"]}
        spare = [o for o in self.organizations if o not in linked]
        if not spare:
            return
        org = Organization.objects.get(pk=data.draw(st.sampled_from(spare)))
        form = self._form(script)
        add_another(form, "organization_links", {"organization": str(org.pk)}, numbered=script)
        self.expected["organizations"].append(
            {"id": org.pk, "name": org.name, "region": org.region}
        )
        self._save(form, ("add organization", org.name))

    @rule(data=st.data(), body=_text.filter(str.strip), script=st.booleans())
    def edit_section(self, data, body, script):
        if not self.expected["sections"]:
            return
        n = data.draw(st.integers(0, len(self.expected["sections"]) - 1))
        form = self._form(script)
        form[f"sections-{n}-body"] = body.replace("\n", "\r\n")  # as a browser sends it
        self.expected["sections"][n]["body"] = body
        self._save(form, ("edit section", n, body))

    @rule(summary=_text, script=st.booleans())
    def edit_summary(self, summary, script):
        form = self._form(script)
        form["summary"] = summary.replace("\n", "\r\n")
        self.expected["summary"] = summary
        self._save(form, ("edit summary", summary))


def test_the_change_form_saves_exactly_the_edit(admin_client):
    ChangeForm.client = admin_client
    ChangeForm.condition = factories.article(
        publish=False,
        sections=3,
        groups=2,
        drugs_per_group=3,
        references=3,
        organizations=3,
        figures=2,
    )
    ChangeForm.start = snapshots.take(ChangeForm.condition)
    ChangeForm.drugs = [factories.drug(f"Spare drug {n}")["id"] for n in range(3)]
    ChangeForm.organizations = [factories.organization(f"Spare org {n}")["id"] for n in range(2)]
    run_state_machine_as_test(
        ChangeForm,
        settings=settings(
            max_examples=5,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


def test_a_section_added_by_the_blank_row_goes_last(admin_client):
    """The issue's report: the blank row's hidden order was 0, so the new
    section was saved second, after Definition."""
    condition = factories.article(publish=False, sections=4)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    form = browser_form_data(admin_client.get(url))
    assert form["sections-4-order"] == ""  # served with no order: it goes last
    form.update({"sections-4-kind": "other", "sections-4-body": "The new last part."})
    assert admin_client.post(url, form).status_code == 302
    assert [s.body for s in condition.sections.all()][-1] == "The new last part."


def test_a_blank_row_numbered_by_the_script_is_still_blank(admin_client):
    condition = factories.article(publish=False, sections=2)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    form = browser_form_data(admin_client.get(url), numbered=True)
    assert form["sections-2-order"] == "3"  # the blank row, numbered with the others
    assert admin_client.post(url, form).status_code == 302
    assert condition.sections.count() == 2


def test_drug_autocomplete_answers_for_drug_groups(admin_client):
    Drug.objects.create(name="Clonazepam", slug="clonazepam")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "conditions",
            "model_name": "druggroup",
            "field_name": "drugs",
            "term": "clon",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Clonazepam"]


def test_admin_refuses_a_malformed_code_with_the_format(admin_client):
    condition = factories.article("Coded", publish=False)
    url = f"/admin/conditions/condition/{condition.pk}/change/"
    data = form_data(admin_client.get(url))
    add_rows(data, "codes", [{"system": "icd10cm", "code": "G25-3"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "An ICD-10-CM code is a letter, two digits or letters" in response.content.decode()
    assert not MedicalCode.objects.filter(condition=condition).exists()

    data = form_data(admin_client.get(url))
    add_rows(data, "codes", [{"system": "icd10cm", "code": "g25.3"}])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(condition.codes.values_list("code", flat=True)) == ["G25.3"]
