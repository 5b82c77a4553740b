# Primer uso: cómo salir rápido, antes que nada. Palabras sencillas, pasos cortos, nada que
# diga para qué sirve la aplicación (alguien puede mirar la pantalla).
onboarding-disguise-title = { $decoy ->
        [notes] Esta aplicación parece una de notas
        [weather] Esta aplicación parece una del clima
       *[calculator] Esta aplicación parece una calculadora
    }
onboarding-disguise-body = { $decoy ->
        [notes] Cuando está cerrada o bloqueada muestra unas notas corrientes. Quien la abra solo verá eso.
        [weather] Cuando está cerrada o bloqueada muestra el pronóstico del clima. Quien la abra solo verá eso.
       *[calculator] Cuando está cerrada o bloqueada muestra una calculadora que funciona. Quien la abra solo verá eso.
    }
onboarding-open-title = Ábrela con tu código
onboarding-open-body = { $decoy ->
        [notes] Empieza una nota nueva, escribe tu código como título y pulsa Listo. Nada avisa a nadie de que se probó un código.
        [weather] Busca tu código como si fuera el nombre de una ciudad. Nada avisa a nadie de que se probó un código.
       *[calculator] Escribe tu código en la calculadora y pulsa =. Nada avisa a nadie de que se probó un código.
    }
onboarding-exit-title = Sal con un toque
onboarding-exit-body = { $decoy ->
        [notes] El botón de salir está siempre en la misma esquina. Bloquea todo de inmediato y muestra las notas. No pregunta nada ni muestra ningún mensaje.
        [weather] El botón de salir está siempre en la misma esquina. Bloquea todo de inmediato y muestra el clima. No pregunta nada ni muestra ningún mensaje.
       *[calculator] El botón de salir está siempre en la misma esquina. Bloquea todo de inmediato y muestra la calculadora. No pregunta nada ni muestra ningún mensaje.
    }
onboarding-autolock-title = Se bloquea sola
onboarding-autolock-body = { $decoy ->
        [notes] Si cambias de aplicación o dejas el teléfono un minuto, se bloquea y vuelve a mostrar las notas.
        [weather] Si cambias de aplicación o dejas el teléfono un minuto, se bloquea y vuelve a mostrar el clima.
       *[calculator] Si cambias de aplicación o dejas el teléfono un minuto, se bloquea y vuelve a mostrar la calculadora.
    }
onboarding-traces-title = Las llamadas y los mensajes dejan rastro
onboarding-traces-body = Una llamada o un mensaje que hagas desde aquí aparece en el registro de llamadas y en los mensajes del teléfono. Bórralos allí si alguien puede mirar.
onboarding-practise-title = Practica ahora
onboarding-practise-body = Prueba una vez el botón de salir y luego vuelve a abrir la aplicación con tu código.
first-run-title = Antes de empezar
first-run-decoy-title = Elige cómo se ve la aplicación cuando está cerrada
first-run-code-title = Elige tu código
first-run-code-hint = Solo números, al menos { $count }. { $decoy ->
        [notes] Lo escribes como título de una nota nueva para abrir la aplicación.
        [weather] Lo buscas como si fuera el nombre de una ciudad para abrir la aplicación.
       *[calculator] Lo escribes en la calculadora para abrir la aplicación.
    }
field-code = Código
field-code-confirm = Escribe el código otra vez
