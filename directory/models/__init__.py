from directory.models.centers import (
    AgeGroup,
    CareSetting,
    Center,
    CenterQuerySet,
    CenterTreatment,
    CrisisService,
    Language,
    Location,
    PaymentOption,
    Treatment,
)

__all__ = [
    "AgeGroup",
    "CareSetting",
    "Center",
    "CenterQuerySet",
    "CenterTreatment",
    "CrisisService",
    "Language",
    "Location",
    "PaymentOption",
    "Treatment",
]
