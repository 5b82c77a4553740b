# Ajustes de seguridad.
field-decoy = Qué muestra la aplicación cuando está cerrada
field-icon = Icono y nombre en la pantalla de inicio
field-auto-lock = Bloquear tras estos minutos sin uso (0: nunca)
field-screenshots = Bloquear capturas de pantalla
field-quick-exit-wipes = Salir también borra todo
field-wipe-after = Borrar todo tras este número de códigos incorrectos
field-wipe-never = No borrar nunca
field-duress = Un segundo código que abre una aplicación vacía
