"""What the article services refuse, and why: each message is meant for
the person who asked."""


class WorkflowError(Exception):
    """An operation that the article's state does not allow; the message is
    meant for the person who asked."""


class StaleRevision(WorkflowError):
    """The article changed after the reviewer opened the page: what they
    read is not what would go live."""

    def __init__(self, message, *, reviewed_id, current_id):
        super().__init__(message)
        self.reviewed_id, self.current_id = reviewed_id, current_id


class GateClosed(WorkflowError):
    """Content checks stop the publication: a blocking problem, or a warning
    the reviewer has not acknowledged."""

    def __init__(self, message, *, problems):
        super().__init__(message)
        self.problems = problems
