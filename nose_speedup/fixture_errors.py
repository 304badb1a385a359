"""What went wrong loading a class's fixtures, in one line with the fix."""


def error_reason(error):
    """Django's message, plus the first cause it hides: a malformed JSON
    file raises ``Problem installing fixture '...': `` with the decoder's
    message only in the chained exception."""
    reason = str(error).strip().rstrip(".")
    cause = error.__cause__ or error.__context__
    while cause is not None:
        text = str(cause).strip().rstrip(".")
        if text and text not in reason:
            return f"{reason} {text}" if reason.endswith(":") else f"{reason} ({text})"
        cause = cause.__cause__ or cause.__context__
    return reason


def describe_fixture_error(test_class, error):
    """What went wrong loading ``test_class.fixtures`` and how to fix it:
    "could not load fixture 'users.json': <Django's reason>. <the fix>"."""
    reason = error_reason(error)
    fixture = next(
        (
            label
            for label in test_class.fixtures
            if f"'{label}'" in reason
            or f"'{label.split('.')[0]}'" in reason
            or f"/{label}'" in reason
        ),
        None,
    )
    named = f"fixture '{fixture}'" if fixture else f"fixtures {list(test_class.fixtures)}"
    if "No fixture named" in reason:
        fix = (
            f"Fix the name in {test_class.__qualname__}.fixtures or add the file to a "
            "fixtures directory (an app's fixtures/ or FIXTURE_DIRS)"
        )
    else:
        fix = (
            "Fix the file: it must be a valid fixture of installed models and their "
            f"fields, or drop it from {test_class.__qualname__}.fixtures"
        )
    return f"could not load {named}: {reason}. {fix}"
