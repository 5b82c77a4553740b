# Palabras que aparecen en muchas pantallas: botones y respuestas generales.
action-back = Atrás
action-next = Siguiente
action-save = Guardar
action-search = Buscar
action-new = Nuevo
action-lock = Bloquear
action-quick-exit = Salir
action-continue = Continuar
action-attach = Añadir un archivo
action-export = Guardar una copia protegida
saved = Guardado.
list-empty = Todavía no hay nada aquí.
list-separator = {", "}
