# Los documentos de la persona: pasaportes, visas, permisos, papeles del juzgado, historial médico.
doc-title = Mis documentos
doc-empty = Todavía no hay documentos. Puedes guardar aquí una foto de un pasaporte, visa, permiso o papel del juzgado. Solo tú puedes abrirla.
doc-type-passport = Pasaporte
doc-type-visa = Visa
doc-type-work-permit = Permiso de trabajo
doc-type-i94 = Registro I-94
doc-type-id-card = Identificación o tarjeta de residencia
doc-type-driving-licence = Licencia de conducir
doc-type-birth-certificate = Acta de nacimiento
doc-type-court-paper = Papeles del juzgado
doc-type-medical-record = Historial médico
doc-type-other = Otro documento
doc-field-type = Tipo de documento
doc-field-label = Tu nombre para él
doc-field-number = Número
doc-field-country = País que lo emitió
doc-field-issued = Fecha de emisión
doc-field-expires = Fecha de vencimiento
doc-field-notes = Notas
doc-field-file = Foto o escaneo
doc-field-reminders = Recordarme antes de que venza
doc-reminder-days = { $days ->
    [one] 1 día antes
   *[other] { $days } días antes
}
doc-expires-in = { $days ->
    [one] Vence mañana
   *[other] Vence en { $days } días
}
doc-expired = Vencido. La ayuda legal del directorio puede decirte qué hacer.

# El editor de documentos.
doc-new-title = Nuevo documento
doc-edit-title = Documento
doc-choose-file = Elegir un archivo
doc-take-photo = Tomar una foto
doc-remove-file = Quitar la foto o el escaneo
doc-file-none = Todavía no hay foto ni escaneo.
doc-file-unsaved = Se guarda cuando toques Guardar.
doc-date-hint = Como 2027-03-31. Puedes dejarlo vacío.
doc-country-hint = Dos letras, como MX o US. Puedes dejarlo vacío.
doc-reminders-hint = Días antes del vencimiento, como 90, 30, 7.
doc-delete = Borrar este documento
doc-delete-confirm = ¿Borrar este documento y su foto para siempre? No se puede deshacer.
doc-delete-yes = Borrar para siempre
doc-keep = Conservarlo
# Documents set aside (damaged, or changed outside the app)
doc-set-aside = Algunos documentos no se pudieron abrir y se guardan aparte: { $count }. Se dañaron o se cambiaron fuera de la aplicación. Todo lo demás está aquí.
