// The in-app camera (CameraX): the key scanner on the "people I share with" screen and the
// document photo. Both keep everything in memory: the scanner copies each frame's brightness
// plane, decodes it (shell/KeyScan.kt, ZXing) and zeroes the copy; the photo is taken with
// ImageCapture's in-memory callback (a JPEG buffer, never a file, unlike the system camera app,
// which would write the picture to shared storage). The camera is bound to the composable's
// lifecycle and released when it leaves the screen (a quick exit closes it with the rest).
// Needs the Android SDK: syntax-checked on CI (tree-sitter-kotlin), not compiled.
package org.waypoint.app.ui

import android.os.Handler
import android.os.Looper
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import java.util.concurrent.Executors
import org.waypoint.app.R
import org.waypoint.app.shell.QrFrames

/** The camera preview reading QR codes; each frame's text (or null) goes to [onText] on the main thread. */
@Composable
fun KeyScanner(onText: (String?) -> Unit, onClose: () -> Unit) {
    val context = LocalContext.current
    val owner = LocalLifecycleOwner.current
    val preview = remember { PreviewView(context) }
    val analysisThread = remember { Executors.newSingleThreadExecutor() }
    val main = remember { Handler(Looper.getMainLooper()) }
    DisposableEffect(owner) {
        val future = ProcessCameraProvider.getInstance(context)
        future.addListener({
            val provider = future.get()
            val useCase = Preview.Builder().build().also { it.setSurfaceProvider(preview.surfaceProvider) }
            val analysis = ImageAnalysis.Builder()
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .build()
            analysis.setAnalyzer(analysisThread) { image: ImageProxy ->
                val text = try {
                    val plane = image.planes[0]
                    val buffer = plane.buffer
                    val copy = ByteArray(buffer.remaining())
                    buffer.get(copy)
                    // QrFrames.decode zeroes the copy.
                    QrFrames.decode(copy, image.width, image.height, plane.rowStride)
                } finally {
                    image.close()
                }
                main.post { onText(text) }
            }
            provider.unbindAll()
            provider.bindToLifecycle(owner, CameraSelector.DEFAULT_BACK_CAMERA, useCase, analysis)
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            runCatching { ProcessCameraProvider.getInstance(context).get().unbindAll() }
            analysisThread.shutdown()
        }
    }
    Column {
        AndroidView(factory = { preview }, modifier = Modifier.fillMaxWidth().height(320.dp))
        TextButton(onClick = onClose) { Text(stringResource(R.string.ui_close)) }
    }
}

/** The camera preview with a shutter: the photo goes to [onPhoto] as JPEG bytes held in memory. */
@Composable
fun DocumentCamera(onPhoto: (ByteArray) -> Unit, onClose: () -> Unit) {
    val context = LocalContext.current
    val owner = LocalLifecycleOwner.current
    val preview = remember { PreviewView(context) }
    val capture = remember {
        ImageCapture.Builder().setCaptureMode(ImageCapture.CAPTURE_MODE_MAXIMIZE_QUALITY).build()
    }
    DisposableEffect(owner) {
        val future = ProcessCameraProvider.getInstance(context)
        future.addListener({
            val provider = future.get()
            val useCase = Preview.Builder().build().also { it.setSurfaceProvider(preview.surfaceProvider) }
            provider.unbindAll()
            provider.bindToLifecycle(owner, CameraSelector.DEFAULT_BACK_CAMERA, useCase, capture)
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            runCatching { ProcessCameraProvider.getInstance(context).get().unbindAll() }
        }
    }
    Column {
        AndroidView(factory = { preview }, modifier = Modifier.fillMaxWidth().height(420.dp))
        Button(onClick = {
            capture.takePicture(
                ContextCompat.getMainExecutor(context),
                object : ImageCapture.OnImageCapturedCallback() {
                    override fun onCaptureSuccess(image: ImageProxy) {
                        val jpeg = try {
                            val buffer = image.planes[0].buffer
                            ByteArray(buffer.remaining()).also { buffer.get(it) }
                        } finally {
                            image.close()
                        }
                        onPhoto(jpeg)
                    }

                    override fun onError(exception: ImageCaptureException) {
                        // Nothing is shown that could name the app; the person can try again.
                    }
                },
            )
        }) { Text(stringResource(R.string.ui_take_photo)) }
        TextButton(onClick = onClose) { Text(stringResource(R.string.ui_close)) }
    }
}
