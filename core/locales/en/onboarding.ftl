# First run: how to leave quickly, shown before anything else. Plain words, short steps,
# no word on what the app is for (someone may glance at the screen).
# $decoy is the decoy chosen (calculator, notes or weather): the steps name it and say how it
# opens, so they never describe a calculator the phone will not show.
onboarding-disguise-title = { $decoy ->
        [notes] This app looks like a notes app
        [weather] This app looks like a weather app
       *[calculator] This app looks like a calculator
    }
onboarding-disguise-body = { $decoy ->
        [notes] When it is closed or locked it shows a page of ordinary notes. Anyone who opens it sees only that.
        [weather] When it is closed or locked it shows a weather forecast. Anyone who opens it sees only that.
       *[calculator] When it is closed or locked it shows a working calculator. Anyone who opens it sees only that.
    }
onboarding-open-title = Open it with your code
onboarding-open-body = { $decoy ->
        [notes] Start a new note, type your code as its title, then press Done. Nothing tells anyone a code was tried.
        [weather] Search for your code as if it were a city name. Nothing tells anyone a code was tried.
       *[calculator] Type your code on the calculator, then press =. Nothing tells anyone a code was tried.
    }
onboarding-exit-title = Leave in one tap
onboarding-exit-body = { $decoy ->
        [notes] The exit button is always in the same corner. It locks everything at once and shows the notes. There is no question and no message.
        [weather] The exit button is always in the same corner. It locks everything at once and shows the weather. There is no question and no message.
       *[calculator] The exit button is always in the same corner. It locks everything at once and shows the calculator. There is no question and no message.
    }
onboarding-autolock-title = It locks by itself
onboarding-autolock-body = { $decoy ->
        [notes] If you switch apps or put the phone down for a minute, it locks and shows the notes again.
        [weather] If you switch apps or put the phone down for a minute, it locks and shows the weather again.
       *[calculator] If you switch apps or put the phone down for a minute, it locks and shows the calculator again.
    }
onboarding-traces-title = Calls and texts leave traces
onboarding-traces-body = A call or text you start from here shows in the phone's own call list and messages. Delete them there if someone may look.
onboarding-practise-title = Practise now
onboarding-practise-body = Try the exit button once, then open the app again with your code.
first-run-title = Before you start
first-run-decoy-title = Choose how the app looks when it is closed
first-run-code-title = Choose your code
first-run-code-hint = Only digits, at least { $count }. { $decoy ->
        [notes] You type it as the title of a new note to open the app.
        [weather] You search for it as a city name to open the app.
       *[calculator] You type it on the calculator to open the app.
    }
field-code = Code
field-code-confirm = Type the code again
