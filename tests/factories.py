"""factory_boy factories for the whole suite."""

import io

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import legal
from accounts.models import ConsentRecord, ConsentVia, Department, User
from accounts.roles import Role
from proposals.models import Category, Comment, Proposal
from proposals.text import compact


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"부서{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = "홍길동"
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Members can log in only with a verified address (allauth)."""
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )
            obj.save()

    @factory.post_generation
    def consented(obj, create, extracted, **kwargs):
        """Members have agreed to the legal documents in force at sign-up (or
        every page sends them to agree first); `consented=False` makes one
        who has not. The optional items they hold are the ones they allowed."""
        if create and extracted is not False:
            ConsentRecord.objects.create(
                user=obj,
                terms_version=legal.current(legal.Kind.TERMS).version,
                privacy_version=legal.current(legal.Kind.PRIVACY).version,
                via=ConsentVia.SIGNUP,
                **{f: getattr(obj, f) not in ("", None) for f in legal.OPTIONAL_FIELDS},
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in extracted])
            obj.__dict__.pop("role_names", None)


def official(department=None, **kwargs) -> User:
    department = department or DepartmentFactory()
    return UserFactory(roles=[Role.OFFICIAL], department=department, is_staff=True, **kwargs)


def operator(**kwargs) -> User:
    return UserFactory(roles=[Role.OPERATOR], is_staff=True, **kwargs)


def institution_admin(of, **kwargs) -> User:
    """An administrator of the partner institution `of` (issue 16)."""
    return UserFactory(roles=[Role.INSTITUTION_ADMIN], institution=of, is_staff=True, **kwargs)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"분야{n}")
    default_department = factory.SubFactory(DepartmentFactory)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal written straight to the database; use services.proposal_create
    in tests about proposing."""

    class Meta:
        model = Proposal

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"제안 {n}: 한강 다리를 걷고 싶게")
    body = "한강 다리를 걷고 싶은 다리로 만들면 좋겠습니다. 보행로를 넓혀 주세요."
    category = factory.SubFactory(CategoryFactory)
    search_text = factory.LazyAttribute(lambda o: compact(f"{o.title} {o.body}"))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "좋은 생각이에요!"


def image_file(name="photo.jpg", fmt="JPEG", size=(64, 48), exif=None) -> SimpleUploadedFile:
    buf = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 80, 40)).save(buf, format=fmt, **options)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


# --- uploads ------------------------------------------------------------------
# Small genuine files of every accepted kind, and files that lie about theirs.


def gps_exif() -> Image.Exif:
    """EXIF as a phone writes it: camera make and a GPS position in Seoul."""
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (37.0, 33.0, 59.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (126.0, 58.0, 40.0),
    }
    return exif


def upload(
    name: str, content: bytes, content_type="application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_file(name: str, members: dict[str, bytes]) -> SimpleUploadedFile:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return upload(name, buf.getvalue())


def pdf_file(name="plan.pdf") -> SimpleUploadedFile:
    return upload(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def hwp_file(name="plan.hwp") -> SimpleUploadedFile:
    return upload(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


def office_file(kind: str, name: str | None = None) -> SimpleUploadedFile:
    """A package with the part a genuine DOCX/XLSX/PPTX/HWPX file contains."""
    marker = {
        "docx": "word/document.xml",
        "xlsx": "xl/workbook.xml",
        "pptx": "ppt/presentation.xml",
        "hwpx": "Contents/content.hpf",
    }[kind]
    return zip_file(name or f"plan.{kind}", {"[Content_Types].xml": b"<Types/>", marker: b"<x/>"})


def txt_file(
    name="notes.txt", text="한강 다리 산책로 메모", encoding="utf-8"
) -> SimpleUploadedFile:
    return upload(name, text.encode(encoding), "text/plain")


def png_bomb(name="bomb.png", width=20_000, height=20_000) -> SimpleUploadedFile:
    """A decompression bomb: a valid 1-bit PNG declaring 400 megapixels that
    weighs a few KB, written chunk by chunk (Pillow would need 50 MB and a
    second to make it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    data = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return upload(name, data, "image/png")
