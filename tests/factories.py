"""factory_boy factories for the whole suite."""

import io

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Department, User
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
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in extracted])
            obj.__dict__.pop("role_names", None)


def official(department=None, **kwargs) -> User:
    department = department or DepartmentFactory()
    return UserFactory(roles=[Role.OFFICIAL], department=department, is_staff=True, **kwargs)


def operator(**kwargs) -> User:
    return UserFactory(roles=[Role.OPERATOR], is_staff=True, **kwargs)


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
