"""Admin pages that store files: a file the server cannot store (full
disk) is a form error, not a 500, and nothing of the save is left."""

from django.core.exceptions import ValidationError

from healthlib.lib.storage import StorageWriteError, discard_files, files_written


class UploadErrorsAsFormErrors:
    """A ModelAdmin mixin. The admin saves the object and its inlines in one
    transaction, which a StorageWriteError rolls back; the files already
    stored in the request (an image before its renditions, say) are
    deleted; then the form is shown again, with the editor's input and the
    reason as its error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with files_written() as written:
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except BaseException as exc:
                discard_files(written)
                if not isinstance(exc, StorageWriteError):
                    raise
                request.storage_write_error = exc
        # The same request again: the form refuses it this time (get_form),
        # so nothing is saved and the page shows why.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "storage_write_error", None)
        if error is None:
            return form

        class NotStored(form):
            def clean(self):
                super().clean()
                raise ValidationError(str(error), code="not_stored")

        return NotStored
