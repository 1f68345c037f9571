from django import forms
from django.utils import timezone

from articles import selfcheck
from articles.models import Article


def item_field_name(number: int) -> str:
    return f"item{number}"


class SelfCheckForm(forms.Form):
    """The nine PHQ-9 items (each required, 0-3) and the optional difficulty question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(selfcheck.ITEMS, start=1):
            self.fields[item_field_name(number)] = forms.TypedChoiceField(
                label=text,
                choices=selfcheck.ANSWERS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Please choose an answer for question {number}.",
                    "invalid_choice": f"Question {number}: please choose one of the four answers.",
                },
            )
        self.fields["difficulty"] = forms.ChoiceField(
            label=selfcheck.DIFFICULTY_QUESTION,
            choices=selfcheck.DIFFICULTY_ANSWERS,
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": "The last question: please choose one of the four answers, or none."},
        )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[item_field_name(number)] for number in range(1, len(selfcheck.ITEMS) + 1)]

    def has_impossible_values(self) -> bool:
        """True when a value was sent that none of the radio buttons could have produced."""
        return any(error.code == "invalid_choice" for errors in self.errors.as_data().values() for error in errors)

    def self_harm_answered_above_zero(self) -> bool:
        """Item 9 answered above 0, even if the rest of the form is incomplete."""
        self.is_valid()
        return bool(self.cleaned_data.get(item_field_name(selfcheck.SELF_HARM_ITEM)))

    def result(self) -> selfcheck.Result:
        answers = [self.cleaned_data[item_field_name(number)] for number in range(1, len(selfcheck.ITEMS) + 1)]
        return selfcheck.phq9_score(answers)

    def difficulty_label(self) -> str:
        return dict(selfcheck.DIFFICULTY_ANSWERS).get(self.cleaned_data.get("difficulty") or "", "")


class MedicalReviewForm(forms.Form):
    """A clinician's review of an article's current text, as an editor records it in the admin."""

    reviewer_name = forms.CharField(
        label="Medical reviewer", max_length=120, help_text="As it should appear: 'Dr. Ana Ruiz'."
    )
    reviewer_credentials = forms.CharField(
        label="Credentials", max_length=120, help_text="Degree and specialty, e.g. 'MD, psychiatrist'."
    )
    reviewed_on = forms.DateField(
        label="Reviewed on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the clinician reviewed it.",
    )
    confirm = forms.BooleanField(
        label="The clinician read this article as it stands now and reviewed it medically.",
        error_messages={"required": "Only record a review that really took place, of the current text."},
    )

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["reviewed_on"].initial = timezone.localdate()

    def clean_reviewed_on(self):
        reviewed_on = self.cleaned_data["reviewed_on"]
        updated_on = timezone.localdate(self.article.updated_at)
        if reviewed_on > timezone.localdate():
            raise forms.ValidationError("A review cannot be dated in the future.")
        if reviewed_on < updated_on:
            when = f"{updated_on:%B} {updated_on.day}, {updated_on:%Y}"
            raise forms.ValidationError(
                f"The current text dates from {when}; a review before that day covered an older version."
            )
        return reviewed_on
