# Know-your-rights guides: the words around the packaged guides (core/guides/).

guides-title = Know your rights
guides-intro = Short guides you can read at any time, even without internet. Take what is useful and leave the rest.
guide-not-advice = This is information, not legal advice. An advocate or lawyer can tell you what applies to you.
guide-needs-review = This translation has not yet been checked by a native speaker.
guide-last-reviewed = Last reviewed: { $date }
guide-sources = Sources
guide-help = Help that may be useful
# Published guides
guide-origin-packaged = Comes with the app.
guide-origin-published = Published by the people who sign your help directory (guides version { $version }).
guide-expired = These guides were due to be checked again on { $date }. They are kept, but some details may be out of date.
# The mark beside a guide in the list: where it comes from
guide-mark-packaged = Comes with the app
guide-mark-published = Published
