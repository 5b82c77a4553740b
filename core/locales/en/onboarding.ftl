# First run: how to leave quickly, shown before anything else. Plain words, short steps,
# no word on what the app is for (someone may glance at the screen).
onboarding-disguise-title = This app looks like a calculator
onboarding-disguise-body = When it is closed or locked it shows a working calculator. Anyone who opens it sees only that.
onboarding-open-title = Open it with your code
onboarding-open-body = Type your code on the calculator, then press =. Nothing tells anyone a code was tried.
onboarding-exit-title = Leave in one tap
onboarding-exit-body = The exit button is always in the same corner. It locks everything at once and shows the calculator. There is no question and no message.
onboarding-autolock-title = It locks by itself
onboarding-autolock-body = If you switch apps or put the phone down for a minute, it locks and shows the calculator again.
onboarding-traces-title = Calls and texts leave traces
onboarding-traces-body = A call or text you start from here shows in the phone's own call list and messages. Delete them there if someone may look.
onboarding-practise-title = Practise now
onboarding-practise-body = Try the exit button once, then open the app again with your code.
first-run-title = Before you start
first-run-decoy-title = Choose how the app looks when it is closed
first-run-code-title = Choose your code
first-run-code-hint = Only digits, at least { $count }. You type it on the calculator to open the app.
field-code = Code
field-code-confirm = Type the code again
