"""The mileage grades shown beside every member's public name. The ladder and
its emoticons are fixed here (accounts owns how a member is shown); the points
at which each grade begins are operator settings in mileage.MileageSettings,
and mileage's services keep `User.mileage_grade` in step with the balance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.IntegerChoices):
    SEED = 0, _("Seed")  # 씨앗
    SPROUT = 1, _("Sprout")  # 새싹
    TREE = 2, _("Tree")  # 나무
    FOREST = 3, _("Forest")  # 숲
    OASIS = 4, _("Oasis")  # 오아시스


# One emoticon per grade; always rendered with the grade's name as its text
# alternative (role="img" aria-label), never alone.
GRADE_EMOTICONS = {
    Grade.SEED: "🫘",
    Grade.SPROUT: "🌱",
    Grade.TREE: "🌳",
    Grade.FOREST: "🌲",
    Grade.OASIS: "🏝️",
}
