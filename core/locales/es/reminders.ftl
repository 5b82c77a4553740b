# Recordatorios; el texto de la notificación es neutro (se ve con el teléfono bloqueado).
reminder-at-start = al empezar
reminder-minutes-before = { $count ->
    [one] 1 minuto antes
   *[other] { $count } minutos antes
}
reminder-hours-before = { $count ->
    [one] 1 hora antes
   *[other] { $count } horas antes
}
reminder-days-before = { $count ->
    [one] 1 día antes
   *[other] { $count } días antes
}
reminder-voice-title = Recordatorio
reminder-voice-body = Tienes un evento
