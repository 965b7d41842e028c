; Included by electron-builder's NSIS installer (electron-builder.yml nsis.include).
; Registers dym:// invite links with the installed app, and removes them on uninstall
; (the app also registers itself at run time, which alone would outlive an uninstall).
!macro customInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\dym"
  WriteRegStr SHELL_CONTEXT "Software\Classes\dym" "" "URL:Digital You Meet invite"
  WriteRegStr SHELL_CONTEXT "Software\Classes\dym" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\dym\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\dym\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\dym"
!macroend
