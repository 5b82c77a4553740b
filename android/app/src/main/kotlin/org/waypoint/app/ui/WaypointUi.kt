// Compose screens: one composable per core View, drawing the strings the view carries as they
// are and forwarding what the person does as an Intent. Every heading, button and field name is
// the core's, in the app's language (`state.title`, `state.labels`), laid out in the core's
// text direction. The chrome around each view (heading, back arrow, the quick exit in the same
// corner on every screen, whether digits may be announced) comes from shell/ScreenChrome.kt. Form fields keep their text in `remember` only
// (never rememberSaveable: the saved-state Bundle leaves the process) and go to the core on Save.
// Needs the Android SDK: syntax-checked on CI (tree-sitter-kotlin), not compiled.
@file:OptIn(ExperimentalMaterial3Api::class, ExperimentalLayoutApi::class)

package org.waypoint.app.ui

import androidx.activity.compose.BackHandler
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.filled.Close
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.LocalLayoutDirection
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.password
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.ui.unit.LayoutDirection
import androidx.compose.ui.unit.dp
import androidx.core.os.LocaleListCompat
import androidx.appcompat.app.AppCompatDelegate
import org.waypoint.app.AppViewModel
import org.waypoint.app.QuickExitTile
import org.waypoint.app.R
import org.waypoint.app.WaypointApp
import org.waypoint.app.shell.DocumentTypes
import org.waypoint.app.shell.KeyScanFlow
import org.waypoint.app.shell.KeyScanState
import org.waypoint.app.shell.ReminderDays
import org.waypoint.app.shell.ScreenChrome
import org.waypoint.core.AppState
import org.waypoint.core.DirectoryFilters
import org.waypoint.core.label
import org.waypoint.core.ffi.CalcKey
import org.waypoint.core.ffi.FieldError
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

/** The whole app: the core's state, drawn. Nothing at all until the core is open. */
@Composable
fun WaypointUi(model: AppViewModel) {
    val state by model.state.collectAsState()
    val current = state ?: return
    val chrome = ScreenChrome.of(current)
    val send: (ScreenIntent) -> Unit = { model.send(it) }
    BackHandler(enabled = current.canGoBack) { send(ScreenIntent.Back) }
    val direction = if (chrome.rightToLeft) LayoutDirection.Rtl else LayoutDirection.Ltr
    CompositionLocalProvider(LocalLayoutDirection provides direction) {
        Scaffold(
            topBar = {
                TopAppBar(
                    title = { chrome.title?.let { Text(it, modifier = Modifier.semantics { heading() }) } },
                    navigationIcon = {
                        if (chrome.showBack) {
                            IconButton(onClick = { send(ScreenIntent.Back) }) {
                                Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = current.label("back"))
                            }
                        }
                    },
                    actions = {
                        // Quick exit: same place on every screen, a neutral name, no confirmation.
                        if (chrome.showQuickExit) {
                            IconButton(onClick = { model.quickExit() }) {
                                Icon(Icons.Filled.Close, contentDescription = chrome.exitLabel ?: stringResource(R.string.ui_close))
                            }
                        }
                    },
                )
            },
        ) { padding ->
            Column(Modifier.fillMaxSize().padding(padding)) {
                Screen(current, chrome, model, send)
            }
        }
    }
}

@Composable
private fun Screen(state: AppState, chrome: ScreenChrome, model: AppViewModel, send: (ScreenIntent) -> Unit) {
    val t = { key: String -> state.label(key) }
    when (val view = state.view) {
        is ScreenView.FirstRunQuickExit -> Scrolling {
            view.steps.forEach { step ->
                Text(step.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
                Text(step.body, style = MaterialTheme.typography.bodyLarge)
                Spacer(Modifier.padding(8.dp))
            }
            Button(onClick = { send(ScreenIntent.Next) }) { Text(t("next")) }
        }
        is ScreenView.FirstRunDecoy -> Scrolling {
            view.options.forEach { option ->
                FilterChip(
                    selected = option.selected,
                    onClick = { send(ScreenIntent.ChooseDecoy(option.decoy)) },
                    label = { Text(option.title) },
                )
                Text(option.unlockGesture, style = MaterialTheme.typography.bodyMedium)
            }
            Button(onClick = { send(ScreenIntent.Next) }) { Text(t("next")) }
        }
        is ScreenView.FirstRunCode -> Scrolling {
            var code by remember { mutableStateOf("") }
            var again by remember { mutableStateOf("") }
            Text(t("hint"), style = MaterialTheme.typography.bodyLarge)
            CodeField(code, { code = it }, t("field:code"))
            CodeField(again, { again = it }, t("field:confirm"))
            view.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            Button(onClick = { send(ScreenIntent.ChooseCode(code, again)) }) { Text(t("continue")) }
        }
        is ScreenView.Calculator -> Calculator(view.display, chrome.codeEntry, send)
        is ScreenView.DecoyPage -> Scrolling {
            Text(view.title, style = MaterialTheme.typography.headlineSmall)
            view.lines.forEach { Text(it, style = MaterialTheme.typography.bodyLarge) }
            // The notes and weather decoys open with a code typed into this plain field and
            // the keyboard's Done key: no button or word of the app shows on a decoy.
            var code by remember { mutableStateOf("") }
            CodeField(code, { code = it }, "", onDone = { send(ScreenIntent.SubmitCode(code)); code = "" })
        }
        is ScreenView.Unlock -> Scrolling {
            var code by remember { mutableStateOf("") }
            CodeField(code, { code = it }, t("field:code"), onDone = { send(ScreenIntent.SubmitCode(code)); code = "" })
            view.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            Button(onClick = { send(ScreenIntent.SubmitCode(code)); code = "" }) { Text(t("continue")) }
        }
        is ScreenView.Home -> Scrolling {
            // Opening a section that could not be read: one line here, never silence.
            view.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            view.destinations.forEach { d ->
                OutlinedButton(onClick = { send(ScreenIntent.Open(d)) }, modifier = Modifier.fillMaxWidth()) {
                    Text(t(ScreenChrome.key(d)))
                }
            }
            TextButton(onClick = { send(ScreenIntent.Lock) }) { Text(t("lock")) }
        }
        is ScreenView.JournalList -> Column {
            var query by remember { mutableStateOf(view.query) }
            OutlinedTextField(
                value = query,
                onValueChange = { query = it; send(ScreenIntent.JournalSearch(it)) },
                label = { Text(t("search")) },
                placeholder = { Text(t("hint")) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().padding(16.dp),
            )
            Row(Modifier.padding(horizontal = 16.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { send(ScreenIntent.NewEntry) }) { Text(t("new")) }
                OutlinedButton(onClick = { send(ScreenIntent.OpenExport) }) { Text(t("export")) }
            }
            Notice(view.notice)
            if (view.rows.isEmpty()) Text(t("empty"), modifier = Modifier.padding(16.dp))
            LazyColumn {
                items(view.rows, key = { it.id }) { row ->
                    ListItem(
                        headlineContent = { Text(row.title) },
                        supportingContent = { Text(row.timeText) },
                        modifier = Modifier.clickable { send(ScreenIntent.OpenEntry(row.id)) },
                    )
                    HorizontalDivider()
                }
            }
        }
        is ScreenView.EntryEditor -> Scrolling {
            var form by remember(view.entryId) { mutableStateOf(view.form) }
            val pick = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { uri ->
                if (uri != null) {
                    send(ScreenIntent.EditEntry(form))
                    model.attach(uri)
                }
            }
            Field(form.title, { form = form.copy(title = it) }, t("field:title"), view.errors, "title")
            Field(form.body, { form = form.copy(body = it) }, t("field:body"), view.errors, "body", singleLine = false)
            Field(form.happened, { form = form.copy(happened = it) }, t("field:happened"), view.errors, "happened")
            Field(form.mood, { form = form.copy(mood = it) }, t("field:mood"), view.errors, "mood")
            Field(form.tags, { form = form.copy(tags = it) }, t("field:tags"), view.errors, "tags")
            Field(form.place, { form = form.copy(place = it) }, t("field:place"), view.errors, "place")
            Text(t("field:attachment"), style = MaterialTheme.typography.titleSmall)
            Text(t("attachment_count"), style = MaterialTheme.typography.bodyMedium)
            view.attachments.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
            Errors(view.errors, "attachment")
            Errors(view.errors, "")
            OutlinedButton(onClick = { pick.launch("*/*") }) { Text(t("attach")) }
            Button(onClick = { send(ScreenIntent.EditEntry(form)); send(ScreenIntent.SaveEntry) }) { Text(t("save")) }
        }
        is ScreenView.EvidenceExport -> Scrolling {
            var pass by remember { mutableStateOf("") }
            var again by remember { mutableStateOf("") }
            val create = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { uri ->
                if (uri != null) model.exportEvidence(pass, again, uri)
            }
            Text(t("explain"), style = MaterialTheme.typography.bodyLarge)
            PasswordField(pass, { pass = it }, t("field:passphrase"))
            Errors(view.errors, "passphrase")
            PasswordField(again, { again = it }, t("field:confirm"))
            Errors(view.errors, "confirm")
            Errors(view.errors, "destination")
            Errors(view.errors, "")
            view.done?.let { Text(it) }
            // The place is chosen in the system's file picker (a neutral file name: it shows
            // in the phone's file lists); the core writes there through the app's own copy.
            Button(onClick = { create.launch("export.age") }) { Text(t("field:destination")) }
        }
        is ScreenView.AppointmentList -> Column {
            Button(onClick = { send(ScreenIntent.NewAppointment) }, modifier = Modifier.padding(16.dp)) { Text(t("new")) }
            if (view.rows.isEmpty()) Text(t("empty"), modifier = Modifier.padding(16.dp))
            LazyColumn {
                items(view.rows, key = { it.id }) { row ->
                    ListItem(
                        headlineContent = { Text(row.title) },
                        supportingContent = { Text(row.timeText + if (row.reminders.isEmpty()) "" else "\n" + row.reminders) },
                        modifier = Modifier.clickable { send(ScreenIntent.OpenAppointment(row.id)) },
                    )
                    HorizontalDivider()
                }
            }
        }
        is ScreenView.AppointmentEditor -> AppointmentEditor(state, view, send)
        is ScreenView.DirectorySearch -> Column {
            var filters by remember { mutableStateOf(view.filters) }
            val search = { f: DirectoryFilters -> filters = f; send(ScreenIntent.SearchDirectory(f)) }
            OutlinedTextField(
                value = filters.text,
                onValueChange = { search(filters.copy(text = it)) },
                label = { Text(t("search")) },
                placeholder = { Text(t("field:text")) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().padding(16.dp),
            )
            FlowRow(Modifier.padding(horizontal = 16.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(filters.openNow, { search(filters.copy(openNow = !filters.openNow)) }, { Text(t("field:open_now")) })
                FilterChip(filters.free, { search(filters.copy(free = !filters.free)) }, { Text(t("field:free")) })
                // Categories: the core names each one (`category:<wire name>`).
                state.labels.filter { it.key.startsWith("category:") }.forEach { c ->
                    val wire = c.key.removePrefix("category:")
                    val on = wire in filters.categories
                    FilterChip(on, {
                        search(filters.copy(categories = if (on) filters.categories - wire else filters.categories + wire))
                    }, { Text(c.text) })
                }
            }
            if (view.rows.isEmpty()) Text(t("empty"), modifier = Modifier.padding(16.dp))
            LazyColumn {
                items(view.rows, key = { it.id }) { row ->
                    ListItem(
                        headlineContent = { Text(row.name) },
                        supportingContent = { Text(listOf(row.organization, row.hours).filter { it.isNotEmpty() }.joinToString("\n")) },
                        modifier = Modifier.clickable { send(ScreenIntent.OpenResource(row.id)) },
                    )
                    HorizontalDivider()
                }
            }
        }
        is ScreenView.ResourceDetail -> Scrolling {
            val d = view.detail
            Text(d.name, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
            if (d.organization.isNotEmpty()) Text(d.organization, style = MaterialTheme.typography.titleSmall)
            Text(d.description)
            if (d.addresses.isNotEmpty()) Text(t("addresses"), style = MaterialTheme.typography.titleSmall)
            d.addresses.forEach { Text(it) }
            if (d.eligibility.isNotEmpty()) {
                Text(t("eligibility"), style = MaterialTheme.typography.titleSmall)
                Text(d.eligibility)
            }
            d.actions.forEach { a ->
                Button(onClick = { send(ScreenIntent.TakeAction(a.index)) }, modifier = Modifier.fillMaxWidth()) {
                    Text(a.label + " " + a.display)
                }
                a.note?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            }
        }
        is ScreenView.CallWarning -> Scrolling {
            Text(view.text, style = MaterialTheme.typography.bodyLarge)
            Text(view.action.label + " " + view.action.display, style = MaterialTheme.typography.titleMedium)
            Button(onClick = { send(ScreenIntent.ConfirmCallWarning) }) { Text(t("continue")) }
        }
        is ScreenView.SafetySettings -> SafetySettings(state, view, send)
        is ScreenView.SyncStatus -> Scrolling {
            view.lines.forEach { Text(it) }
            SyncSwitches()
        }
        is ScreenView.DocumentList -> Column {
            Button(onClick = { send(ScreenIntent.NewDocument) }, modifier = Modifier.padding(16.dp)) { Text(t("new")) }
            Notice(view.notice)
            if (view.rows.isEmpty()) Text(t("empty"), modifier = Modifier.padding(16.dp))
            LazyColumn {
                items(view.rows, key = { it.id }) { row ->
                    ListItem(
                        headlineContent = { Text(row.label.ifEmpty { row.kindText }) },
                        supportingContent = {
                            Text(listOfNotNull(row.kindText.takeIf { row.label.isNotEmpty() }, row.expiryText.ifEmpty { null }).joinToString("\n"))
                        },
                        modifier = Modifier.clickable { send(ScreenIntent.OpenDocument(row.id)) },
                    )
                    HorizontalDivider()
                }
            }
        }
        is ScreenView.DocumentEditor -> DocumentEditor(state, view, model, send)
        is ScreenView.ShareRecipients -> ShareRecipients(state, view, send)
        is ScreenView.SafetyPlan -> Scrolling {
            view.notice?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
            view.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            if (view.confirmRestart) {
                // Delete the plan that could not be opened: only after this second step.
                Text(t("restart_confirm"), style = MaterialTheme.typography.titleMedium)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { send(ScreenIntent.ConfirmRestartSafetyPlan) }) { Text(t("confirm_restart")) }
                    OutlinedButton(onClick = { send(ScreenIntent.Back) }) { Text(t("keep")) }
                }
                return@Scrolling
            }
            if (view.canRestart) {
                // Nothing of the set-aside plan is shown or written over; only the way to start again.
                Button(onClick = { send(ScreenIntent.RestartSafetyPlan) }) { Text(t("restart")) }
                return@Scrolling
            }
            Text(view.intro, style = MaterialTheme.typography.bodyLarge)
            view.sections.forEach { section ->
                // One line per item; the core keeps the list and the notes.
                var items by remember(section.section) { mutableStateOf(section.items.joinToString("\n")) }
                var notes by remember(section.section) { mutableStateOf(section.notes) }
                HorizontalDivider()
                Text(section.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
                Text(section.prompt, style = MaterialTheme.typography.bodyMedium)
                if (section.status.isNotEmpty()) Text(section.status, style = MaterialTheme.typography.bodySmall)
                OutlinedTextField(
                    value = items,
                    onValueChange = { items = it },
                    placeholder = { Text(section.example) },
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedTextField(value = notes, onValueChange = { notes = it }, modifier = Modifier.fillMaxWidth())
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = {
                        val lines = items.lines().map { it.trim() }.filter { it.isNotEmpty() }
                        send(ScreenIntent.SavePlanSection(section.section, lines, notes.trim()))
                    }) { Text(t("save")) }
                    TextButton(onClick = { send(ScreenIntent.SkipPlanSection(section.section)) }) { Text(t("skip")) }
                }
            }
        }
        is ScreenView.GuideList -> GuideListScreen(view, send)
        is ScreenView.Guide -> GuideScreen(view.guide, send)
        // No `else`: a View the core adds fails this `when` at compile time, and
        // android/tools/check-android.py checks the same on CI (where nothing here is compiled).
    }
}

/** A list's one-line notice (records set aside), above the list. */
@Composable
private fun Notice(notice: String?) {
    notice?.let { Text(it, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.padding(horizontal = 16.dp)) }
}

/** The know-your-rights guides: each with where it comes from and when it was last reviewed. */
@Composable
private fun GuideListScreen(view: ScreenView.GuideList, send: (ScreenIntent) -> Unit) = Column {
    if (view.intro.isNotEmpty()) Text(view.intro, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(16.dp))
    LazyColumn {
        items(view.guides, key = { it.id }) { guide ->
            ListItem(
                headlineContent = { Text(guide.title) },
                supportingContent = {
                    Text(listOf(guide.summary, guide.originText, guide.lastReviewedText).filter { it.isNotEmpty() }.joinToString("\n"))
                },
                modifier = Modifier.clickable { send(ScreenIntent.OpenGuide(guide.id)) },
            )
            HorizontalDivider()
        }
    }
}

/**
 * One guide, as plain text. Its kinds of help open directory resources through the core
 * (`OpenResource`), so a call or a text from there goes through the resource screen and the
 * call-log warning like any other. Sources are shown, not linked: opening one in the browser
 * would leave it in the browser's history.
 */
@Composable
private fun GuideScreen(guide: org.waypoint.core.ffi.GuideText, send: (ScreenIntent) -> Unit) = Scrolling {
    Text(guide.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
    Text(guide.summary, style = MaterialTheme.typography.bodyLarge)
    guide.reviewNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    guide.sections.forEach { section ->
        HorizontalDivider()
        Text(section.heading, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
        Text(section.body, style = MaterialTheme.typography.bodyLarge)
    }
    HorizontalDivider()
    Text(guide.notAdvice, style = MaterialTheme.typography.bodyMedium)
    if (guide.help.isNotEmpty()) {
        Text(guide.helpHeading, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
        guide.help.forEach { help ->
            Text(help.label, style = MaterialTheme.typography.titleSmall)
            help.resourceIds.zip(help.resourceNames).forEach { (id, name) ->
                OutlinedButton(onClick = { send(ScreenIntent.OpenResource(id)) }, modifier = Modifier.fillMaxWidth()) { Text(name) }
            }
        }
    }
    Text(guide.sourcesHeading, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
    guide.sources.forEach { source ->
        Text(source.name, style = MaterialTheme.typography.bodyMedium)
        Text(source.url, style = MaterialTheme.typography.bodySmall)
    }
    Text(guide.lastReviewedText, style = MaterialTheme.typography.bodySmall)
    Text(guide.originText, style = MaterialTheme.typography.bodySmall)
    guide.expiredNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
}

/** The decoy calculator. With [quiet] (always, here) the display is never announced digit by digit. */
@Composable
private fun Calculator(display: String, quiet: Boolean, send: (ScreenIntent) -> Unit) {
    val displayLabel = stringResource(R.string.ui_display)
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.Bottom) {
        Text(
            display,
            style = MaterialTheme.typography.displayMedium,
            textAlign = TextAlign.End,
            maxLines = 1,
            modifier = Modifier
                .fillMaxWidth()
                .padding(vertical = 24.dp)
                // No live region, and no digits for TalkBack: what is typed may be the code.
                .then(if (quiet) Modifier.clearAndSetSemantics { contentDescription = displayLabel } else Modifier),
        )
        CALCULATOR_ROWS.forEach { row ->
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                row.forEach { (label, key) ->
                    OutlinedButton(
                        onClick = { send(ScreenIntent.Calc(key)) },
                        modifier = Modifier.weight(1f).heightIn(min = 64.dp).padding(vertical = 4.dp),
                        contentPadding = PaddingValues(0.dp),
                    ) {
                        Text(label, style = MaterialTheme.typography.headlineSmall)
                    }
                }
            }
        }
    }
}

private val CALCULATOR_ROWS: List<List<Pair<String, CalcKey>>> = listOf(
    listOf("C" to CalcKey.Clear, "⌫" to CalcKey.Backspace, "%" to CalcKey.Percent, "÷" to CalcKey.Divide),
    listOf("7" to digit(7), "8" to digit(8), "9" to digit(9), "×" to CalcKey.Multiply),
    listOf("4" to digit(4), "5" to digit(5), "6" to digit(6), "−" to CalcKey.Subtract),
    listOf("1" to digit(1), "2" to digit(2), "3" to digit(3), "+" to CalcKey.Add),
    listOf("±" to CalcKey.Negate, "0" to digit(0), "." to CalcKey.Point, "=" to CalcKey.Equals),
)

private fun digit(d: Int): CalcKey = CalcKey.Digit(d.toUByte())

@Composable
private fun AppointmentEditor(state: AppState, view: ScreenView.AppointmentEditor, send: (ScreenIntent) -> Unit) = Scrolling {
    val t = { key: String -> state.label(key) }
    var form by remember(view.appointmentId) { mutableStateOf(view.form) }
    // Reminders need the notification permission on Android 13+: asked here, when the person
    // is making an appointment, never at start-up (the question shows the app's label).
    val context = LocalContext.current
    val askNotifications = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { }
    LaunchedEffect(Unit) {
        if (android.os.Build.VERSION.SDK_INT >= android.os.Build.VERSION_CODES.TIRAMISU &&
            androidx.core.content.ContextCompat.checkSelfPermission(context, android.Manifest.permission.POST_NOTIFICATIONS) !=
            android.content.pm.PackageManager.PERMISSION_GRANTED
        ) {
            askNotifications.launch(android.Manifest.permission.POST_NOTIFICATIONS)
        }
    }
    Field(form.title, { form = form.copy(title = it) }, t("field:title"), view.errors, "title")
    Text(t("field:kind"), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        org.waypoint.core.ffi.AppointmentKind.entries.forEach { k ->
            FilterChip(form.kind == k, { form = form.copy(kind = k) }, { Text(t("kind:" + k.name.lowercase())) })
        }
    }
    Field(form.date, { form = form.copy(date = it) }, t("field:date"), view.errors, "date")
    Field(form.time, { form = form.copy(time = it) }, t("field:time"), view.errors, "time")
    Field(form.durationMinutes, { form = form.copy(durationMinutes = it) }, t("field:duration"), view.errors, "duration", digits = true)
    Field(form.place, { form = form.copy(place = it) }, t("field:place"), view.errors, "place")
    Text(t("field:repeat"), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        org.waypoint.core.ffi.Repeat.entries.forEach { r ->
            FilterChip(form.repeat == r, { form = form.copy(repeat = r) }, { Text(t("repeat:" + r.name.lowercase())) })
        }
    }
    Text(t("field:reminders"), style = MaterialTheme.typography.titleSmall)
    if (view.reminderLabels.isNotEmpty()) Text(view.reminderLabels.joinToString(", "), style = MaterialTheme.typography.bodyMedium)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        REMINDER_PRESETS.forEach { (minutes, label) ->
            val on = minutes in form.reminderMinutes
            FilterChip(on, {
                form = form.copy(reminderMinutes = if (on) form.reminderMinutes - minutes else form.reminderMinutes + minutes)
            }, { Text(stringResource(label)) })
        }
    }
    Errors(view.errors, "reminders")
    Errors(view.errors, "")
    Button(onClick = { send(ScreenIntent.EditAppointment(form)); send(ScreenIntent.SaveAppointment) }) {
        Text(t("save"))
    }
}

/**
 * The document editor. The photo or scan comes from the system's file picker (read into memory,
 * AppViewModel.attachScan) or from the in-app camera (a JPEG in memory, never a file); both go
 * to the core as bytes and are saved encrypted with the document.
 */
@Composable
private fun DocumentEditor(state: AppState, view: ScreenView.DocumentEditor, model: AppViewModel, send: (ScreenIntent) -> Unit) = Scrolling {
    val t = { key: String -> state.label(key) }
    var form by remember(view.documentId) { mutableStateOf(view.form) }
    var days by remember(view.documentId) { mutableStateOf(view.form.reminderDays.joinToString(", ")) }
    var camera by remember { mutableStateOf(false) }
    val context = LocalContext.current
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) {
            send(ScreenIntent.EditDocument(form))
            model.attachScan(uri)
        }
    }
    // The camera permission is asked when the survivor taps "take a photo", never before.
    val askCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        camera = granted
    }
    if (camera) {
        DocumentCamera(
            onPhoto = { jpeg ->
                camera = false
                send(ScreenIntent.EditDocument(form))
                model.attachPhoto(jpeg)
            },
            onClose = { camera = false },
        )
        return@Scrolling
    }
    if (view.confirmDelete) {
        Text(t("delete_confirm"), style = MaterialTheme.typography.titleMedium)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(ScreenIntent.ConfirmDeleteDocument) }) { Text(t("confirm_delete")) }
            OutlinedButton(onClick = { send(ScreenIntent.Back) }) { Text(t("keep")) }
        }
        return@Scrolling
    }
    Text(t("field:doc_type"), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        org.waypoint.core.ffi.DocumentType.entries.forEach { k ->
            FilterChip(form.docType == k, { form = form.copy(docType = k) }, { Text(t(DocumentTypes.key(k))) })
        }
    }
    Field(form.label, { form = form.copy(label = it) }, t("field:label"), view.errors, "label")
    Field(form.number, { form = form.copy(number = it) }, t("field:number"), view.errors, "number")
    Field(form.issuingCountry, { form = form.copy(issuingCountry = it) }, t("field:issuing_country"), view.errors, "issuing_country", placeholder = t("hint:issuing_country"))
    Field(form.issuedOn, { form = form.copy(issuedOn = it) }, t("field:issued_on"), view.errors, "issued_on", placeholder = t("hint:date"))
    Field(form.expiresOn, { form = form.copy(expiresOn = it) }, t("field:expires_on"), view.errors, "expires_on", placeholder = t("hint:date"))
    Field(form.notes, { form = form.copy(notes = it) }, t("field:notes"), view.errors, "notes", singleLine = false)
    Field(days, { v ->
        days = v
        form = form.copy(reminderDays = ReminderDays.parse(v))
    }, t("field:reminders"), view.errors, "reminders", placeholder = t("hint:reminders"))
    if (view.reminderLabels.isNotEmpty()) Text(view.reminderLabels.joinToString(", "), style = MaterialTheme.typography.bodyMedium)
    Text(t("field:file"), style = MaterialTheme.typography.titleSmall)
    Text(view.file ?: t("file_none"), style = MaterialTheme.typography.bodyMedium)
    if (view.fileChanged) Text(t("file_unsaved"), style = MaterialTheme.typography.bodySmall)
    Errors(view.errors, "file")
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = { pick.launch(arrayOf("image/*", "application/pdf")) }) { Text(t("attach")) }
        OutlinedButton(onClick = {
            if (androidx.core.content.ContextCompat.checkSelfPermission(context, android.Manifest.permission.CAMERA) ==
                android.content.pm.PackageManager.PERMISSION_GRANTED
            ) {
                camera = true
            } else {
                askCamera.launch(android.Manifest.permission.CAMERA)
            }
        }) { Text(t("camera")) }
        if (view.file != null) {
            TextButton(onClick = { send(ScreenIntent.EditDocument(form)); send(ScreenIntent.RemoveDocumentFile) }) { Text(t("remove_file")) }
        }
    }
    Errors(view.errors, "")
    Button(onClick = { send(ScreenIntent.EditDocument(form)); send(ScreenIntent.SaveDocument) }) { Text(t("save")) }
    if (view.documentId != null) {
        TextButton(onClick = { send(ScreenIntent.EditDocument(form)); send(ScreenIntent.DeleteDocument) }) { Text(t("delete")) }
    }
}

/**
 * The people the survivor shares with. A key is pasted into the field, or read by the camera:
 * "scan" asks for the camera permission only when tapped (KeyScanFlow), the first QR code read
 * goes to the core, which fills the key in and shows the fingerprint to compare in person.
 */
@Composable
private fun ShareRecipients(state: AppState, view: ScreenView.ShareRecipients, send: (ScreenIntent) -> Unit) = Scrolling {
    val t = { key: String -> state.label(key) }
    var form by remember(view.rows.size) { mutableStateOf(view.form) }
    var scanning by remember { mutableStateOf(false) }
    val context = LocalContext.current
    val flow = remember { KeyScanFlow { send(it) } }
    val askCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        flow.onPermission(granted)
        scanning = flow.state == KeyScanState.Scanning
    }
    // A key the scan filled in shows in the field.
    LaunchedEffect(view.form.key) { form = form.copy(key = view.form.key) }
    if (scanning) {
        Text(t("scan_explain"), style = MaterialTheme.typography.bodyMedium)
        KeyScanner(
            onText = { text ->
                flow.onFrameText(text)
                scanning = flow.state == KeyScanState.Scanning
            },
            onClose = { flow.cancel(); scanning = false },
        )
        TextButton(onClick = { flow.cancel(); scanning = false }) { Text(t("back")) }
        return@Scrolling
    }
    Text(t("explain"), style = MaterialTheme.typography.bodyLarge)
    if (view.rows.isEmpty()) Text(t("empty"))
    view.rows.forEach { row ->
        ListItem(
            headlineContent = { Text(row.label) },
            supportingContent = { Text(row.fingerprint) },
            trailingContent = { TextButton(onClick = { send(ScreenIntent.RemoveRecipient(row.id)) }) { Text(t("remove")) } },
        )
        HorizontalDivider()
    }
    Field(form.label, { form = form.copy(label = it); send(ScreenIntent.EditRecipient(form)) }, t("field:label"), view.errors, "label")
    Field(form.key, { form = form.copy(key = it); send(ScreenIntent.EditRecipient(form)) }, t("field:key"), view.errors, "key", singleLine = false)
    val clipboard = androidx.compose.ui.platform.LocalClipboardManager.current
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = {
            val pasted = clipboard.getText()?.text ?: ""
            form = form.copy(key = pasted)
            send(ScreenIntent.EditRecipient(form))
        }) { Text(t("paste")) }
        OutlinedButton(onClick = {
            val granted = androidx.core.content.ContextCompat.checkSelfPermission(context, android.Manifest.permission.CAMERA) ==
                android.content.pm.PackageManager.PERMISSION_GRANTED
            if (flow.onScanTapped(granted)) askCamera.launch(android.Manifest.permission.CAMERA)
            scanning = flow.state == KeyScanState.Scanning
        }) { Text(t("scan")) }
    }
    view.fingerprint?.let { fp ->
        Text(t("fingerprint"), style = MaterialTheme.typography.bodyMedium)
        Text(fp, style = MaterialTheme.typography.headlineSmall)
    }
    Errors(view.errors, "")
    Button(onClick = { send(ScreenIntent.EditRecipient(form)); send(ScreenIntent.SaveRecipient) }) { Text(t("save")) }
}

@Composable
private fun SafetySettings(state: AppState, view: ScreenView.SafetySettings, send: (ScreenIntent) -> Unit) = Scrolling {
    val t = { key: String -> state.label(key) }
    val context = LocalContext.current
    var form by remember { mutableStateOf(view.form) }
    Text(t("field:decoy"), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        org.waypoint.core.ffi.DecoyChoice.entries.forEach { d ->
            FilterChip(form.decoy == d, { form = form.copy(decoy = d) }, { Text(t("decoy:" + d.name.lowercase())) })
        }
    }
    Text(t("field:launcher_alias"), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        view.aliasChoices.forEach { id ->
            FilterChip(form.launcherAlias == id, { form = form.copy(launcherAlias = id) }, { Text(t("alias:$id")) })
        }
    }
    Errors(view.errors, "launcher_alias")
    Field(form.autoLockMinutes.toString(), { v -> v.toUIntOrNull()?.let { form = form.copy(autoLockMinutes = it) } }, t("field:auto_lock"), view.errors, "auto_lock", digits = true)
    Toggle(t("field:screenshot_blocking"), form.screenshotBlocking) { form = form.copy(screenshotBlocking = it) }
    Toggle(t("field:quick_exit_wipes"), form.quickExitWipes) { form = form.copy(quickExitWipes = it) }
    Field(form.wipeAfterFailures?.toString() ?: "", { v -> form = form.copy(wipeAfterFailures = v.toUIntOrNull()) }, t("field:wipe_after"), view.errors, "wipe_after", digits = true, placeholder = t("wipe_after:never"))
    CodeField(form.duressCode, { form = form.copy(duressCode = it) }, t("field:duress"))
    Errors(view.errors, "duress")
    Errors(view.errors, "")
    if (view.saved) Text(t("saved"))
    // The tile and the language are the shell's own settings (words in res/).
    var tile by remember { mutableStateOf(QuickExitTile.isEnabled(context)) }
    Toggle(stringResource(R.string.ui_tile), tile) { tile = it; QuickExitTile.setEnabled(context, it) }
    LanguageChoice()
    Button(onClick = {
        // After the save, AppViewModel moves the launcher alias to the saved one.
        send(ScreenIntent.EditSafety(form))
        send(ScreenIntent.SaveSafety)
        form = form.copy(duressCode = "")
    }) { Text(t("save")) }
}

/** In-app language (AppCompat per-app locales; Android 13+ also lists it in the phone's settings). */
@Composable
private fun LanguageChoice() {
    Text(stringResource(R.string.ui_language), style = MaterialTheme.typography.titleSmall)
    val current = AppCompatDelegate.getApplicationLocales().toLanguageTags()
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        FilterChip(current.isEmpty(), { AppCompatDelegate.setApplicationLocales(LocaleListCompat.getEmptyLocaleList()) }, {
            Text(stringResource(R.string.ui_language_phone))
        })
        APP_LANGUAGES.forEach { tag ->
            val locale = java.util.Locale.forLanguageTag(tag)
            FilterChip(current == tag, { AppCompatDelegate.setApplicationLocales(LocaleListCompat.forLanguageTags(tag)) }, {
                // Each language in its own words.
                Text(locale.getDisplayName(locale))
            })
        }
    }
}

/** The core's languages (values-xx and res/xml/locales_config.xml list the same). */
private val APP_LANGUAGES = listOf("en", "es", "ar", "vi", "zh-Hans")

@Composable
private fun SyncSwitches() {
    val context = LocalContext.current
    val app = context.applicationContext as WaypointApp
    var prefs by remember { mutableStateOf(app.syncPreferences()) }
    Toggle(stringResource(R.string.ui_sync_automatic), prefs.enabled) { prefs = prefs.copy(enabled = it); app.setSyncPreferences(prefs) }
    if (prefs.enabled) {
        Toggle(stringResource(R.string.ui_sync_wifi_only), prefs.unmeteredOnly) { prefs = prefs.copy(unmeteredOnly = it); app.setSyncPreferences(prefs) }
    }
    OutlinedButton(onClick = { org.waypoint.app.SyncNow.enqueue(context) }) { Text(stringResource(R.string.ui_update_now)) }
}

@Composable
private fun Scrolling(content: @Composable ColumnScope.() -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        content = content,
    )
}

@Composable
private fun Field(
    value: String,
    onChange: (String) -> Unit,
    label: String,
    errors: List<FieldError>,
    field: String,
    singleLine: Boolean = true,
    digits: Boolean = false,
    placeholder: String? = null,
) {
    val message = errors.firstOrNull { it.field == field }?.message
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        placeholder = if (placeholder != null) {
            { Text(placeholder) }
        } else {
            null
        },
        singleLine = singleLine,
        isError = message != null,
        supportingText = if (message != null) {
            { Text(message) }
        } else {
            null
        },
        keyboardOptions = if (digits) KeyboardOptions(keyboardType = KeyboardType.Number) else KeyboardOptions.Default,
        modifier = Modifier.fillMaxWidth(),
    )
}

/** A code: digits, shown as dots, a password to TalkBack (no digit read aloud). */
@Composable
private fun CodeField(value: String, onChange: (String) -> Unit, label: String, onDone: (() -> Unit)? = null) {
    OutlinedTextField(
        value = value,
        onValueChange = { v -> onChange(v.filter { it.isDigit() }) },
        label = if (label.isNotEmpty()) {
            { Text(label) }
        } else {
            null
        },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(
            keyboardType = KeyboardType.NumberPassword,
            autoCorrectEnabled = false,
            imeAction = if (onDone != null) ImeAction.Done else ImeAction.Default,
        ),
        keyboardActions = KeyboardActions(onDone = { onDone?.invoke() }),
        modifier = Modifier.fillMaxWidth().semantics { password() },
    )
}

@Composable
private fun PasswordField(value: String, onChange: (String) -> Unit, label: String) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password, autoCorrectEnabled = false),
        modifier = Modifier.fillMaxWidth().semantics { password() },
    )
}

@Composable
private fun Toggle(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Text(label, modifier = Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = onChange)
    }
}

@Composable
private fun Errors(errors: List<FieldError>, field: String) {
    errors.filter { it.field == field }.forEach { Text(it.message, color = MaterialTheme.colorScheme.error) }
}
