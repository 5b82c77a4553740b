# Words used on many screens: buttons and generic answers.
action-back = Back
action-next = Next
action-save = Save
action-search = Search
action-new = New
action-lock = Lock
action-quick-exit = Exit
action-continue = Continue
action-attach = Add a file
action-export = Save a sealed copy
saved = Saved.
list-empty = Nothing here yet.
# Joins items of a short list: "1 day before, 1 hour before".
list-separator = {", "}
