# Fechas y horas en la zona de la persona.
date-weekday = { $weekday ->
    [1] lun
    [2] mar
    [3] mié
    [4] jue
    [5] vie
    [6] sáb
   *[7] dom
}
date-month = { $month ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sept
    [10] oct
    [11] nov
   *[12] dic
}
# "mar, 20 ene 2026"
date-day = { $weekday }, { $day } { $month } { $year }
date-day-time = { $date }, { $time }
date-all-day = { $date }, todo el día
