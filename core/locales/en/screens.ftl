# Titles of the app's screens and the home screen's sections.
home-title = Home
journal-title = Journal
appointments-title = Appointments
directory-title = Find help
safety-title = Safety settings
sync-title = Directory updates

# People the survivor shares records with (their keys, pasted or scanned).
share-title = People I share with
share-explain = A lawyer or an advocate can open what you share with them on their laptop. Add them with the key their laptop shows.
share-empty = No one yet.
share-field-label = Their name, for you
share-field-key = Their key (age1...)
share-paste = Paste
share-scan = Scan their code
share-scan-explain = Point the camera at the code on their screen. Nothing is saved from the camera.
share-fingerprint = Compare these characters with the ones on their screen, in person:
share-remove = Remove
