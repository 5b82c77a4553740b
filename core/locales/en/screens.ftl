# Titles of the app's screens and the home screen's sections.
home-title = Home
journal-title = Journal
appointments-title = Appointments
directory-title = Find help
safety-title = Safety settings
sync-title = Directory updates
