#!/usr/bin/env python3
"""The iOS shell's own words in the core's languages, written out as
ios/App/Resources/Localizable.xcstrings (Xcode's String Catalog, JSON).

The core sends each screen's title and labels in its language (AppState.title/labels); the
app shows those. This catalog holds the words the core does not send (the exit control's
VoiceOver name "Close", the calculator display's name, the sync switch, the startup failure)
and the stand-ins shown if a core label is ever missing. en and es are complete;
ar, vi and zh-Hans are marked `needs_review` in the catalog: they need review by a native
speaker, as the core's own texts in those languages do. Edit this table, then run
  python3 ios/tools/strings_source.py
ios/tools/check_app.py checks that the catalog is complete and that every key the Swift uses
is in it.
"""
import json
import os

# key: (es, ar, vi, zh-Hans)
WORDS = {
    "New document": ("Nuevo documento", "وثيقة جديدة", "Giấy tờ mới", "新证件"),
    "Number": ("Número", "الرقم", "Số", "号码"),
    "Country": ("País", "البلد", "Quốc gia", "国家"),
    "Paste": ("Pegar", "لصق", "Dán", "粘贴"),
    "Scan a code": ("Escanear un código", "امسح رمزًا", "Quét mã", "扫描二维码"),
    "%lld min": ("%lld min", "%lld دقيقة", "%lld phút", "%lld 分钟"),
    "Add reminder": ("Añadir aviso", "إضافة تذكير", "Thêm nhắc nhở", "添加提醒"),
    "Appointment": ("Cita", "موعد", "Cuộc hẹn", "预约"),
    "Appointments": ("Citas", "المواعيد", "Cuộc hẹn", "预约"),
    "Attach a photo": ("Adjuntar una foto", "إرفاق صورة", "Đính kèm ảnh", "附加照片"),
    "Attachments": ("Adjuntos", "المرفقات", "Tệp đính kèm", "附件"),
    "Back": ("Atrás", "رجوع", "Quay lại", "返回"),
    "Before you call": ("Antes de llamar", "قبل الاتصال", "Trước khi gọi", "拨打之前"),
    "Calculator": ("Calculadora", "الآلة الحاسبة", "Máy tính", "计算器"),
    "Case worker": ("Trabajador social", "أخصائي الحالة", "Nhân viên xã hội", "个案工作者"),
    "Close": ("Cerrar", "إغلاق", "Đóng", "关闭"),
    "Close also erases everything": ("Cerrar también borra todo", "الإغلاق يمسح كل شيء أيضًا", "Đóng cũng xóa mọi thứ", "关闭时同时清除全部内容"),
    "Code": ("Código", "الرمز", "Mã", "代码"),
    "Confirm code": ("Confirmar código", "تأكيد الرمز", "Xác nhận mã", "确认代码"),
    "Confirm passphrase": ("Confirmar frase de contraseña", "تأكيد عبارة المرور", "Xác nhận cụm mật khẩu", "确认密码短语"),
    "Could not start. Try again later.": ("No se pudo iniciar. Inténtalo más tarde.", "تعذّر البدء. حاول لاحقًا.", "Không thể khởi động. Hãy thử lại sau.", "无法启动，请稍后再试。"),
    "Court": ("Tribunal", "المحكمة", "Tòa án", "法庭"),
    "Daily": ("Cada día", "يوميًا", "Hằng ngày", "每天"),
    "Date (YYYY-MM-DD)": ("Fecha (AAAA-MM-DD)", "التاريخ (YYYY-MM-DD)", "Ngày (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "Decoy": ("Pantalla de inicio", "واجهة التمويه", "Màn hình ngụy trang", "伪装界面"),
    "Directory": ("Directorio", "الدليل", "Danh bạ", "服务目录"),
    "Directory updates": ("Actualizaciones del directorio", "تحديثات الدليل", "Cập nhật danh bạ", "目录更新"),
    "Entry": ("Entrada", "تدوينة", "Mục", "条目"),
    "Erase after wrong codes": ("Borrar tras códigos incorrectos", "المسح بعد رموز خاطئة", "Xóa sau khi nhập sai mã", "多次输错代码后清除"),
    "Export": ("Exportar", "تصدير", "Xuất", "导出"),
    "Free": ("Gratis", "مجاني", "Miễn phí", "免费"),
    "Icon": ("Icono", "الأيقونة", "Biểu tượng", "图标"),
    "Immigration": ("Inmigración", "الهجرة", "Di trú", "移民"),
    "Journal": ("Diario", "اليوميات", "Nhật ký", "日记"),
    "Kind": ("Tipo", "النوع", "Loại", "类型"),
    "Legal": ("Legal", "قانوني", "Pháp lý", "法律"),
    "Length in minutes": ("Duración en minutos", "المدة بالدقائق", "Thời lượng (phút)", "时长（分钟）"),
    "Lock": ("Bloquear", "قفل", "Khóa", "锁定"),
    "Lock after": ("Bloquear tras", "القفل بعد", "Khóa sau", "锁定时间"),
    "Medical": ("Médica", "طبي", "Y tế", "医疗"),
    "Medication": ("Medicación", "الدواء", "Thuốc", "用药"),
    "Mental health": ("Salud mental", "الصحة النفسية", "Sức khỏe tâm thần", "心理健康"),
    "Monthly": ("Cada mes", "شهريًا", "Hằng tháng", "每月"),
    "Mood": ("Estado de ánimo", "المزاج", "Tâm trạng", "心情"),
    "Never": ("Nunca", "أبدًا", "Không bao giờ", "从不"),
    "New appointment": ("Nueva cita", "موعد جديد", "Cuộc hẹn mới", "新预约"),
    "New duress code": ("Nuevo código de emergencia", "رمز طوارئ جديد", "Mã khẩn cấp mới", "新的胁迫代码"),
    "New entry": ("Nueva entrada", "تدوينة جديدة", "Mục mới", "新条目"),
    "New note": ("Nueva nota", "ملاحظة جديدة", "Ghi chú mới", "新备忘录"),
    "Next": ("Siguiente", "التالي", "Tiếp", "下一步"),
    "Notes": ("Notas", "الملاحظات", "Ghi chú", "备忘录"),
    "Open now": ("Abierto ahora", "مفتوح الآن", "Đang mở cửa", "正在营业"),
    "Other": ("Otra", "أخرى", "Khác", "其他"),
    "Passphrase": ("Frase de contraseña", "عبارة المرور", "Cụm mật khẩu", "密码短语"),
    "Place": ("Lugar", "المكان", "Địa điểm", "地点"),
    "Reminder": ("Recordatorio", "تذكير", "Nhắc nhở", "提醒"),
    "Reminders": ("Avisos", "التذكيرات", "Nhắc nhở", "提醒"),
    "Remove": ("Quitar", "إزالة", "Gỡ bỏ", "移除"),
    "Repeat": ("Repetir", "التكرار", "Lặp lại", "重复"),
    "Result": ("Resultado", "النتيجة", "Kết quả", "结果"),
    "Safety": ("Seguridad", "الأمان", "An toàn", "安全"),
    "Save": ("Guardar", "حفظ", "Lưu", "保存"),
    "Saved": ("Guardado", "تم الحفظ", "Đã lưu", "已保存"),
    "Search": ("Buscar", "بحث", "Tìm kiếm", "搜索"),
    "Share": ("Compartir", "مشاركة", "Chia sẻ", "分享"),
    "Support group": ("Grupo de apoyo", "مجموعة دعم", "Nhóm hỗ trợ", "互助小组"),
    "Tags": ("Etiquetas", "الوسوم", "Thẻ", "标签"),
    "Text": ("Texto", "النص", "Nội dung", "正文"),
    "Time (HH:MM)": ("Hora (HH:MM)", "الوقت (HH:MM)", "Giờ (HH:MM)", "时间（HH:MM）"),
    "Title": ("Título", "العنوان", "Tiêu đề", "标题"),
    "Unlock": ("Desbloquear", "فتح القفل", "Mở khóa", "解锁"),
    "Update now": ("Actualizar ahora", "تحديث الآن", "Cập nhật ngay", "立即更新"),
    "Update the directory automatically": ("Actualizar el directorio automáticamente", "تحديث الدليل تلقائيًا", "Tự động cập nhật danh bạ", "自动更新目录"),
    "Weather": ("Tiempo", "الطقس", "Thời tiết", "天气"),
    "Weekly": ("Cada semana", "أسبوعيًا", "Hằng tuần", "每周"),
    "When (YYYY-MM-DD HH:MM)": ("Cuándo (AAAA-MM-DD HH:MM)", "متى (YYYY-MM-DD HH:MM)", "Khi nào (YYYY-MM-DD HH:MM)", "时间（YYYY-MM-DD HH:MM）"),
}

REVIEWED = {"en", "es"}


def unit(lang, value):
    return {"stringUnit": {"state": "translated" if lang in REVIEWED else "needs_review", "value": value}}


def main():
    strings = {}
    for key in sorted(WORDS):
        es, ar, vi, zh = WORDS[key]
        strings[key] = {
            "extractionState": "manual",
            "localizations": {
                "en": unit("en", key),
                "es": unit("es", es),
                "ar": unit("ar", ar),
                "vi": unit("vi", vi),
                "zh-Hans": unit("zh-Hans", zh),
            },
        }
    catalog = {"sourceLanguage": "en", "strings": strings, "version": "1.0"}
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "App", "Resources", "Localizable.xcstrings")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(catalog, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(strings)} keys to {out}")


if __name__ == "__main__":
    main()
