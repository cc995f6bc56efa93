"""UI toolkits whose taps never reach View.performClick (issue 28 §2): the class that shows an app ships
the toolkit, and why the agent's consent observation does not apply to it. One table for the agent
(generated into hooks/src/table.generated.ts by build.py: hooks/src/toolkit.ts) and the simulator
(app model `app.ui`)."""
from __future__ import annotations

# name -> (a class every app using the toolkit ships, why its taps are not observed)
TOOLKITS: dict[str, tuple[str, str]] = {
    "compose": ("androidx.compose.ui.platform.AndroidComposeView",
                "Jetpack Compose: Modifier.clickable never calls View.performClick"),
    "flutter": ("io.flutter.embedding.engine.FlutterJNI", "Flutter: taps are handled in the Dart engine"),
    "react_native": ("com.facebook.react.bridge.ReactContext", "React Native: touches are handled in JavaScript"),
}
WEBVIEW = "webview"          # seen when the app loads a page (WebView.loadUrl / loadDataWithBaseURL), no class
UI_NAMES = (*TOOLKITS, WEBVIEW)
