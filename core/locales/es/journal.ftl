# El diario: lista, editor de entradas, copia protegida.
journal-search-hint = Busca en tus entradas
entry-new-title = Entrada nueva
entry-edit-title = Editar entrada
field-title = Título
field-text = Qué pasó
field-happened = Cuándo pasó (2025-03-01 14:30); déjalo vacío si es ahora
field-mood = Cómo te sentiste
field-tags = Etiquetas, separadas por comas
field-place = Lugar
field-attachments = Archivos
entry-attachments = { $count ->
    [0] Sin archivos
    [one] 1 archivo
   *[other] { $count } archivos
}
export-explain = Guarda todas las entradas y archivos en un solo archivo cerrado con una contraseña, para una abogada, un abogado o una persona de apoyo de confianza.
field-passphrase = Contraseña del archivo
field-passphrase-confirm = Escribe la contraseña otra vez
field-destination = Dónde guardarlo
export-done = { $entries ->
    [one] Se guardó 1 entrada
   *[other] Se guardaron { $entries } entradas
} y { $attachments ->
    [one] 1 archivo.
   *[other] { $attachments } archivos.
}
# Entries set aside (damaged, or changed outside the app)
journal-set-aside = Algunas entradas o archivos no se pudieron abrir y se guardan aparte: { $count }. Se dañaron o se cambiaron fuera de la aplicación. Todo lo demás está aquí.
