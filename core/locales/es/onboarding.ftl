# Primer uso: cómo salir rápido, antes que nada. Palabras sencillas, pasos cortos, nada que
# diga para qué sirve la aplicación (alguien puede mirar la pantalla).
onboarding-disguise-title = Esta aplicación parece una calculadora
onboarding-disguise-body = Cuando está cerrada o bloqueada muestra una calculadora que funciona. Quien la abra solo verá eso.
onboarding-open-title = Ábrela con tu código
onboarding-open-body = Escribe tu código en la calculadora y pulsa =. Nada avisa a nadie de que se probó un código.
onboarding-exit-title = Sal con un toque
onboarding-exit-body = El botón de salir está siempre en la misma esquina. Bloquea todo de inmediato y muestra la calculadora. No pregunta nada ni muestra ningún mensaje.
onboarding-autolock-title = Se bloquea sola
onboarding-autolock-body = Si cambias de aplicación o dejas el teléfono un minuto, se bloquea y vuelve a mostrar la calculadora.
onboarding-traces-title = Las llamadas y los mensajes dejan rastro
onboarding-traces-body = Una llamada o un mensaje que hagas desde aquí aparece en el registro de llamadas y en los mensajes del teléfono. Bórralos allí si alguien puede mirar.
onboarding-practise-title = Practica ahora
onboarding-practise-body = Prueba una vez el botón de salir y luego vuelve a abrir la aplicación con tu código.
first-run-title = Antes de empezar
first-run-decoy-title = Elige cómo se ve la aplicación cuando está cerrada
first-run-code-title = Elige tu código
first-run-code-hint = Solo números, al menos { $count }. Lo escribes en la calculadora para abrir la aplicación.
field-code = Código
field-code-confirm = Escribe el código otra vez
