def site(request):
    """Roles the navigation needs on every page."""
    from accounts.selectors import user_is_operator

    user = getattr(request, "user", None)
    return {"nav_is_staff": bool(user and user.is_authenticated and (user.is_staff or user_is_operator(user)))}
