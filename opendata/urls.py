app_name = "opendata"

# Shared ground: the open-data part fills /open-data/.
urlpatterns = []
