# Títulos de las pantallas y secciones de la pantalla de inicio.
home-title = Inicio
journal-title = Diario
appointments-title = Citas
directory-title = Buscar ayuda
safety-title = Ajustes de seguridad
sync-title = Actualizaciones del directorio
