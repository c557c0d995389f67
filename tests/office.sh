# Sourced by test.sh: LibreOffice and poppler for tests/paper (every paper converted to PDF and read back).
# Installs them from the distribution's packages when soffice is missing (CI starts from nothing), with
# Liberation (Arial's metrics: the workbooks' font since issue 31, measured by render/xlsx_glyphs) and Carlito
# (Calibri's metrics, for a letter's template that names Calibri);
# without root or apt-get, says so: the paper tests then skip locally and fail under CI.
install_office() {
  if command -v soffice >/dev/null && command -v pdftoppm >/dev/null \
     && ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Устанавливаю LibreOffice из пакетов дистрибутива…" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc libreoffice-writer poppler-utils fonts-liberation fonts-crosextra-carlito >/dev/null
    return 0
  fi
  echo "LibreOffice не найден: проверка бумаг (tests/paper) будет пропущена (в CI — провалена)." >&2
}
