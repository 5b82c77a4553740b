# The desktop terminal app (`waypoint app`): its own words around the screens, in the line
# of keys at the bottom and in the notice that stands for opening a call or a link.
terminal-key-choose = choose
terminal-key-open = open
terminal-key-fields = next field
terminal-key-change = change
terminal-key-close = close
terminal-key-done = done
terminal-key-clear = clear
terminal-launch = The phone would open this now (nothing is opened on this desktop):
terminal-file-unreadable = That file could not be read.
terminal-attach-path = the file's path, then Enter
terminal-yes = yes
terminal-no = no
terminal-any = any
terminal-reminders-help = minutes before, separated by commas
terminal-language = Speaks (a language code, e.g. es)
terminal-days-help = days before the expiry date, separated by commas
