# The journal: list, entry editor, sealed export.
journal-search-hint = Search your entries
entry-new-title = New entry
entry-edit-title = Edit entry
field-title = Title
field-text = What happened
field-happened = When it happened (2025-03-01 14:30), empty for now
field-mood = How you felt
field-tags = Tags, separated by commas
field-place = Place
field-attachments = Files
entry-attachments = { $count ->
    [0] No files
    [one] 1 file
   *[other] { $count } files
}
export-explain = Saves every entry and file in one file locked with a passphrase, for a lawyer or advocate you trust.
field-passphrase = Passphrase for the file
field-passphrase-confirm = Type the passphrase again
field-destination = Where to save it
export-done = { $entries ->
    [one] Saved 1 entry
   *[other] Saved { $entries } entries
} and { $attachments ->
    [one] 1 file.
   *[other] { $attachments } files.
}
# Entries set aside (damaged, or changed outside the app)
journal-set-aside = Some entries or files could not be opened and are kept aside: { $count }. They were damaged or changed outside the app. Everything else is here.
