"""The spreadsheet side of the tracking admin (django-import-export): the
department-scoped export of cards and reports, and the card import that
updates stages and budgets through the services (resources.py holds the
columns). Mixed into the ModelAdmins in admin.py."""

import rules
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import SelectableFieldsExportForm

from oasis.exports import ExcelFriendlyCSV

from .resources import CardResource, CardUpdateResource

# CSV files from Korean Windows Excel are often CP949, not UTF-8.
IMPORT_ENCODINGS = ("utf-8-sig", "cp949")
# The previewed file waits in temporary storage under a random name that the
# confirm form carries. The form carries it signed with the uploader's id, so
# nobody else can confirm (and consume) it, and a name made up or left out is
# refused with a message rather than read.
PENDING_IMPORT_SALT = "tracking.card-import.pending"
PENDING_IMPORT_MAX_AGE = 6 * 60 * 60


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The export's field choices named as their columns are (translated),
    not "Field Name (column name)" with the English attribute name."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else super()._get_field_label(resource, field_name)


class ScopedExportMixin(ExportActionMixin):
    """django-import-export export (CSV with a BOM, and Excel) of the
    admin's own queryset, so an official exports only their department's
    rows."""

    export_formats = [ExcelFriendlyCSV, XLSX]
    export_form_class = ColumnNamedExportForm
    show_change_form_export = False

    # Export file names: plain ASCII (a Korean name does not survive every
    # browser's Content-Disposition handling), but saying what is inside.
    export_file_stem = "oasis"

    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate().isoformat()
        return f"{self.export_file_stem}-{day}.{file_format.get_extension()}"

    def get_valid_export_item_pks(self, request):
        # Called by django-import-export 4.4 when exporting the selection of the
        # "export" action; the base version is deprecated and warns.
        return self.get_queryset(request).values_list("pk", flat=True)


def to_utf8(data: bytes) -> bytes:
    """The uploaded text file re-encoded as UTF-8: read as UTF-8 (with or
    without a BOM), else as CP949. Undecodable bytes are left as they are,
    so the import form reports the file as unreadable."""
    for encoding in IMPORT_ENCODINGS:
        try:
            return data.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


class CardImportMixin(ImportMixin):
    """Import of card updates (CardUpdateResource: stage and progress through
    the services, previewed before anything is written), for the operator
    and officials. Any refused row rolls the whole file back."""

    import_formats = [ExcelFriendlyCSV, XLSX]
    from_encoding = "utf-8"

    def get_import_resource_classes(self, request):
        return [CardUpdateResource]

    def get_export_resource_classes(self, request):
        return [CardResource]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        # The operator and officials; not the mayor's office (view only).
        return super().has_import_permission(request) and rules.has_perm(
            "tracking.import_cards", request.user
        )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row refused on confirm (e.g. changed since the preview) rolls
        # the whole import back, not only rows with exceptions.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            initial["import_file_name"] = signing.dumps(
                [request.user.pk, initial["import_file_name"]], salt=PENDING_IMPORT_SALT
            )
        return initial

    def _pending_import_name(self, request) -> str | None:
        """The temporary file name the confirm form carries, if this user's
        own preview signed it; else None."""
        try:
            owner, name = signing.loads(
                request.POST.get("import_file_name", ""),
                salt=PENDING_IMPORT_SALT,
                max_age=PENDING_IMPORT_MAX_AGE,
            )
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return name if owner == request.user.pk else None

    def _start_again(self, request):
        self.message_user(
            request,
            gettext(
                "This import cannot be confirmed: it was already imported, has expired, "
                "or was not previewed by you. Please choose the file again."
            ),
            messages.ERROR,
        )
        return redirect(
            reverse("admin:tracking_managementcard_import", current_app=self.admin_site.name)
        )

    def process_import(self, request, **kwargs):
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)
        name = self._pending_import_name(request)
        if name is None:
            return self._start_again(request)
        request.POST = request.POST.copy()
        request.POST["import_file_name"] = name
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Confirmed twice (the first confirm removed the file), or cleaned up.
            return self._start_again(request)

    def write_to_tmp_storage(self, import_file, input_format):
        """As django-import-export's, but a text file is stored as UTF-8
        whatever it came in (UTF-8 or CP949); preview and confirm both read
        the stored copy with from_encoding = utf-8."""
        data = b"".join(import_file.chunks())
        if not input_format.is_binary():
            data = to_utf8(data)
        tmp_storage = self.get_tmp_storage_class()(
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        tmp_storage.save(data)
        return tmp_storage

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back by import_data: say so instead of "import finished".
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: some rows were refused. "
                    "Please import the file again to see why."
                ),
                messages.ERROR,
            )
            return redirect(
                reverse("admin:tracking_managementcard_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        # import-export's own message is not translated into Korean.
        updated, unchanged = result.totals["update"], result.totals["skip"]
        message = ngettext(
            "Import finished: %(count)d card updated.",
            "Import finished: %(count)d cards updated.",
            updated,
        ) % {"count": updated}
        if unchanged:
            message += " " + ngettext(
                "%(count)d row had no changes.", "%(count)d rows had no changes.", unchanged
            ) % {"count": unchanged}
        messages.success(request, message)

    def generate_log_entries(self, result, request):
        # The card history (CardEvent) is the record; no admin LogEntry rows.
        return None
