# La aplicación de terminal de escritorio (`waypoint app`): sus propias palabras alrededor de
# las pantallas, en la línea de teclas de abajo y en el aviso que sustituye a abrir una
# llamada o un enlace.
terminal-key-choose = elegir
terminal-key-open = abrir
terminal-key-fields = campo siguiente
terminal-key-change = cambiar
terminal-key-close = cerrar
terminal-key-done = listo
terminal-key-clear = borrar
terminal-launch = El teléfono abriría esto ahora (en este escritorio no se abre nada):
terminal-file-unreadable = No se pudo leer ese archivo.
terminal-attach-path = la ruta del archivo y luego Enter
terminal-yes = sí
terminal-no = no
terminal-any = cualquiera
terminal-reminders-help = minutos antes, separados por comas
terminal-language = Habla (un código de idioma, p. ej. es)
terminal-days-help = días antes del vencimiento, separados por comas
