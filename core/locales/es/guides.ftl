# Guías "conoce tus derechos": las palabras alrededor de las guías incluidas (core/guides/).

guides-title = Conoce tus derechos
guides-intro = Guías cortas que puedes leer cuando quieras, incluso sin internet. Toma lo que te sirva y deja el resto.
guide-not-advice = Esto es información, no asesoría legal. Una persona de apoyo o un abogado puede decirte qué se aplica a tu caso.
guide-needs-review = Esta traducción todavía no ha sido revisada por una persona nativa.
guide-last-reviewed = Última revisión: { $date }
guide-sources = Fuentes
guide-help = Ayuda que puede servirte
# Published guides
guide-origin-packaged = Viene con la aplicación.
guide-origin-published = Publicada por quienes firman tu directorio de ayuda (versión de las guías { $version }).
guide-expired = Estas guías debían revisarse de nuevo el { $date }. Se conservan, pero algunos detalles pueden estar desactualizados.
# The mark beside a guide in the list: where it comes from
guide-mark-packaged = Viene con la aplicación
guide-mark-published = Publicada
