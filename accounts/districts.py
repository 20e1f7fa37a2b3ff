"""Seoul's 25 autonomous districts (자치구). A fixed list, so choices rather
than a table; labels are translated through the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    JONGNO = "jongno", _("Jongno-gu")
    JUNG = "jung", _("Jung-gu")
    YONGSAN = "yongsan", _("Yongsan-gu")
    SEONGDONG = "seongdong", _("Seongdong-gu")
    GWANGJIN = "gwangjin", _("Gwangjin-gu")
    DONGDAEMUN = "dongdaemun", _("Dongdaemun-gu")
    JUNGNANG = "jungnang", _("Jungnang-gu")
    SEONGBUK = "seongbuk", _("Seongbuk-gu")
    GANGBUK = "gangbuk", _("Gangbuk-gu")
    DOBONG = "dobong", _("Dobong-gu")
    NOWON = "nowon", _("Nowon-gu")
    EUNPYEONG = "eunpyeong", _("Eunpyeong-gu")
    SEODAEMUN = "seodaemun", _("Seodaemun-gu")
    MAPO = "mapo", _("Mapo-gu")
    YANGCHEON = "yangcheon", _("Yangcheon-gu")
    GANGSEO = "gangseo", _("Gangseo-gu")
    GURO = "guro", _("Guro-gu")
    GEUMCHEON = "geumcheon", _("Geumcheon-gu")
    YEONGDEUNGPO = "yeongdeungpo", _("Yeongdeungpo-gu")
    DONGJAK = "dongjak", _("Dongjak-gu")
    GWANAK = "gwanak", _("Gwanak-gu")
    SEOCHO = "seocho", _("Seocho-gu")
    GANGNAM = "gangnam", _("Gangnam-gu")
    SONGPA = "songpa", _("Songpa-gu")
    GANGDONG = "gangdong", _("Gangdong-gu")
