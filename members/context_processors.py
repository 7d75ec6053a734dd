from members.roles import is_secretariat


def roles(request):
    """Expose the user's role to templates, so navigation matches permissions."""
    return {"is_secretariat": is_secretariat(getattr(request, "user", None))}
