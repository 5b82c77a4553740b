# Títulos de las pantallas y secciones de la pantalla de inicio.
home-title = Inicio
journal-title = Diario
appointments-title = Citas
directory-title = Buscar ayuda
safety-title = Ajustes de seguridad
sync-title = Actualizaciones del directorio

# Las personas con quienes la persona comparte registros (sus claves, pegadas o escaneadas).
share-title = Personas con quienes comparto
share-explain = Un abogado o una persona de apoyo puede abrir lo que compartes en su computadora. Agrégala con la clave que muestra su computadora.
share-empty = Nadie todavía.
share-field-label = Su nombre, para ti
share-field-key = Su clave (age1...)
share-paste = Pegar
share-scan = Escanear su código
share-scan-explain = Apunta la cámara al código de su pantalla. No se guarda nada de la cámara.
share-fingerprint = Compara estos caracteres con los de su pantalla, en persona:
share-remove = Quitar
