// Runs JUnit 4 test classes named on the command line and prints the closing line CI reads:
// "N passed, N failed". Exit status 0 only if every test passed and at least one ran.
package org.waypoint.tools

import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import kotlin.system.exitProcess

fun main(args: Array<String>) {
    val classes = args.map { Class.forName(it) }
    val core = JUnitCore()
    core.addListener(object : org.junit.runner.notification.RunListener() {
        override fun testFinished(description: org.junit.runner.Description) {
            println("  ran ${description.className}.${description.methodName}")
        }
        override fun testFailure(failure: Failure) {
            println("  FAILED ${failure.description.className}.${failure.description.methodName}: ${failure.message}")
            println(failure.trace.lineSequence().take(12).joinToString("\n") { "      $it" })
        }
    })
    val result = core.run(*classes.toTypedArray())
    val failed = result.failureCount
    val passed = result.runCount - failed
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0 && result.runCount > 0) 0 else 1)
}
