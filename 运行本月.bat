@echo off
rem kfbonus launcher: run one month by double-click or drag-and-drop (Windows cmd.exe).
rem   Drop the month's folder (named like 2026-11) onto this file: that folder is read.
rem   Double-click it: the newest input\YYYY-MM folder beside this file is read.
rem Saved in GBK (code page 936) with CRLF line endings: cmd.exe reads a batch file in the
rem console's code page, 936 on Chinese Windows; the code page is left as it is, so
rem kfbonus prints in GBK too.
setlocal
cd /d "%~dp0"

set "PY="
where py >nul 2>nul && set "PY=py"
if not defined PY where python >nul 2>nul && set "PY=python"
if not defined PY (
    echo 没有找到 Python。请先从 python.org 安装 Python 3.11 或更新版本，安装时勾选“Add python.exe to PATH”。
    goto end
)

if "%~1"=="" goto newest
if exist "%~1\" (
    set "FOLDER=%~1"
    set "MONTH=%~nx1"
) else (
    rem a workbook was dropped: read the folder it is in
    for %%P in ("%~dp1.") do set "FOLDER=%%~fP"
    for %%P in ("%~dp1.") do set "MONTH=%%~nxP"
)
goto run

:newest
set "MONTH="
for /d %%D in ("input\????-??") do set "MONTH=%%~nxD"
if not defined MONTH (
    echo 没有找到本月的文件夹。请把本月的文件夹（如 2026-11）拖到本文件上，
    echo 或放进本文件旁边的 input 文件夹（如 input\2026-11）后再双击本文件。
    goto end
)
set "FOLDER=%~dp0input\%MONTH%"

:run
echo 月份：%MONTH%    输入文件夹："%FOLDER%"
echo.
%PY% run_month.py %MONTH% --input "%FOLDER%"
set "CODE=%ERRORLEVEL%"
echo.
if "%CODE%"=="0" echo 完成。结果在 output\%MONTH% 文件夹中（审批汇总表、工资条、明细单）。
if not "%CODE%"=="0" echo 本次没有写入结果，请按上面的说明处理后再运行。

:end
echo.
pause
