from django.utils.functional import SimpleLazyObject

from oncall.people.selectors import unread_notification_count


def notifications(request):
    """The bell's count, counted at most once per request (a page that renders panels through
    ``render_to_string(request=...)`` runs this once per panel) and only if a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_unread_notifications", None)
    if count is None:
        count = SimpleLazyObject(lambda: unread_notification_count(user=user))
        request._unread_notifications = count
    return {"unread_notifications": count}
