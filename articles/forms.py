from django import forms

from articles import selfcheck


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
