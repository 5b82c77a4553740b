# The decoys. These words are what anyone looking at the phone sees: they must read like
# an ordinary calculator, notes or weather app, in the phone's own language.
decoy-calculator-title = Calculator
decoy-calculator-gesture = Type your code, then press =
calculator-error = Error
decoy-notes-title = Notes
decoy-notes-gesture = Start a new note, type your code as its title, then press Done
decoy-notes-line-1 = Shopping: rice, eggs, tomatoes, soap
decoy-notes-line-2 = Bus 42 leaves at 7:15 on weekdays
decoy-notes-line-3 = Call about the phone bill on Monday
decoy-weather-title = Weather
decoy-weather-gesture = Search for your code as a city name
decoy-weather-line-1 = Today: partly cloudy, 18°
decoy-weather-line-2 = Tomorrow: light rain, 15°
decoy-weather-line-3 = Weekend: sunny spells, 20°
unlock-title = Enter your code
unlock-wrong = That did not work. Try again.
