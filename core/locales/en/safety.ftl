# Safety settings.
field-decoy = What the app shows when it is closed
field-icon = Icon and name on the home screen
field-auto-lock = Lock after this many minutes without use (0: never)
field-screenshots = Block screenshots
field-quick-exit-wipes = Exit also erases everything
field-wipe-after = Erase everything after this many wrong codes
field-wipe-never = Never erase
field-duress = A second code that opens an empty app
