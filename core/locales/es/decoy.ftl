# Los señuelos. Estas palabras las ve cualquiera que mire el teléfono: deben parecer una
# calculadora, unas notas o un clima corrientes, en el idioma del teléfono.
decoy-calculator-title = Calculadora
decoy-calculator-gesture = Escribe tu código y pulsa =
calculator-error = Error
decoy-notes-title = Notas
decoy-notes-gesture = Empieza una nota nueva, escribe tu código como título y pulsa Listo
decoy-notes-line-1 = Compras: arroz, huevos, tomates, jabón
decoy-notes-line-2 = El autobús 42 sale a las 7:15 entre semana
decoy-notes-line-3 = Llamar por la factura del teléfono el lunes
decoy-weather-title = Clima
decoy-weather-gesture = Busca tu código como si fuera el nombre de una ciudad
decoy-weather-line-1 = Hoy: parcialmente nublado, 18°
decoy-weather-line-2 = Mañana: lluvia ligera, 15°
decoy-weather-line-3 = Fin de semana: mayormente soleado, 20°
unlock-title = Escribe tu código
unlock-wrong = No funcionó. Inténtalo de nuevo.
