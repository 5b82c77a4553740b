# The survivor's documents: passports, visas, permits, court papers, medical records.
doc-title = My documents
doc-empty = No documents yet. You can keep a photo of a passport, visa, permit or court paper here. Only you can open it.
doc-type-passport = Passport
doc-type-visa = Visa
doc-type-work-permit = Work permit
doc-type-i94 = I-94 record
doc-type-id-card = ID or residence card
doc-type-driving-licence = Driving licence
doc-type-birth-certificate = Birth certificate
doc-type-court-paper = Court papers
doc-type-medical-record = Medical records
doc-type-other = Other document
doc-field-type = Kind of document
doc-field-label = Your name for it
doc-field-number = Number
doc-field-country = Country that issued it
doc-field-issued = Issue date
doc-field-expires = Expiry date
doc-field-notes = Notes
doc-field-file = Photo or scan
doc-field-reminders = Remind me before it expires
doc-reminder-days = { $days ->
    [one] 1 day before
   *[other] { $days } days before
}
doc-expires-in = { $days ->
    [one] Expires tomorrow
   *[other] Expires in { $days } days
}
doc-expired = Expired. Legal help in the directory can tell you what to do next.

# The document editor.
doc-new-title = New document
doc-edit-title = Document
doc-choose-file = Choose a file
doc-take-photo = Take a photo
doc-remove-file = Remove the photo or scan
doc-file-none = No photo or scan yet.
doc-file-unsaved = Kept when you save.
doc-date-hint = Like 2027-03-31. You can leave it empty.
doc-country-hint = Two letters, like MX or US. You can leave it empty.
doc-reminders-hint = Days before the expiry date, like 90, 30, 7.
doc-delete = Delete this document
doc-delete-confirm = Delete this document and its photo for good? This cannot be undone.
doc-delete-yes = Delete for good
doc-keep = Keep it
# Documents set aside (damaged, or changed outside the app)
doc-set-aside = Some documents could not be opened and are kept aside: { $count }. They were damaged or changed outside the app. Everything else is here.
